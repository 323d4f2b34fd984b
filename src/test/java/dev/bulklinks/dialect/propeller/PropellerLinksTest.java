package dev.bulklinks.dialect.propeller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.dialect.JobResults;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Propeller translation on its own, without the service. */
class PropellerLinksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<PropellerLinks.Item> read(String body, String lookupKey) throws Exception {
        return PropellerLinks.read(JSON.readTree(body), lookupKey);
    }

    @Test
    void aLinkBecomesALinkTypeOfItsTypeAndClassesWithPriorityAsPositionAndTheRestAsData() throws Exception {
        PropellerLinks.Item item = read("""
                {"links": [{"type": "accessories", "subtype": "optional", "priority": 3, "isDefault": true,
                  "from": {"class": "product", "source": "erp", "sourceId": 19815, "language": "EN"},
                  "to": {"class": "category", "source": "erp", "sourceId": "7"}}]}""", "sourceId").get(0);

        assertThat(item.refused()).isNull();
        assertThat(item.link().linkType()).isEqualTo("accessories|product|category");
        assertThat(item.link().input().key().sourceId()).isEqualTo("19815");
        assertThat(item.link().output().key().source()).isEqualTo("erp");
        assertThat(item.link().position()).isEqualTo(3);
        assertThat(item.link().data().toString()).isEqualTo("{\"subtype\":\"optional\",\"isDefault\":true}");
        assertThat(item.link().id()).as("found by its ends and type").isNull();
    }

    @Test
    void aLinkThatCannotBeReadIsRefusedAloneWithItsEndsEchoed() throws Exception {
        List<PropellerLinks.Item> items = read("""
                {"links": [{"type": "accessories", "from": {"class": "product", "source": "erp", "sourceId": "1"},
                            "to": {"class": "product", "id": "x"}},
                           {"type": "accessories", "from": {"class": "product"}, "to": {"class": "product", "id": "y"}},
                           {"type": "accessories", "from": {"class": "product", "id": "a"}, "to": {"class": "product", "id": "b"},
                            "priority": "high"}]}""", "id");

        assertThat(items.get(0).refused().toString()).isEqualTo("{\"success\":false,\"error\":\"from.id is required with"
                + " lookup key id (or send the link to .../links/bulk/sourceId with from.source and from.sourceId).\","
                + "\"lookupKey\":\"id\",\"from\":{\"class\":\"product\",\"source\":\"erp\",\"sourceId\":\"1\"},"
                + "\"to\":{\"class\":\"product\",\"id\":\"x\"}}");
        assertThat(items.get(1).refused().path("error").asText()).startsWith("from.id is required");
        assertThat(items.get(2).refused().path("error").asText()).isEqualTo("priority must be a whole number.");
        assertThat(PropellerLinks.links(items)).isEmpty();
    }

    @Test
    void anEndThatNamesNoEntityFailsInPropellersWords() throws Exception {
        List<PropellerLinks.Item> items = read("""
                {"links": [{"type": "t", "from": {"class": "customer", "id": 19815}, "to": {"class": "product", "id": "p"}},
                           {"type": "t", "from": {"class": "product", "source": "erp", "sourceId": "1"},
                            "to": {"class": "PRODUCT", "source": "erp", "sourceId": "2"}}]}""", "sourceId");
        JobResults.Item malformed = new JobResults.Item(false, null, null, 400, "input: '19815' is not an id", List.of("input"));
        JobResults.Item unknown = new JobResults.Item(false, null, null, 404,
                "Output entity with source [erp] sourceId [2] not found.", List.of("output: source [erp] sourceId [2]"));
        JobResults.Item unregistered = new JobResults.Item(false, null, null, 1001, "Link type t|product|product is"
                + " not registered in this project.", List.of("linkType: t|product|product"));

        assertThat(PropellerLinks.inPropellerWords(items.get(0), malformed)).isEqualTo("Customer with id [19815] not found");
        assertThat(PropellerLinks.inPropellerWords(items.get(1), unknown))
                .isEqualTo("Product with source [erp] and sourceId [2] not found");
        assertThat(PropellerLinks.inPropellerWords(items.get(1), unregistered)).isEqualTo(unregistered.message());
    }

    @Test
    void aLookupKeyOtherThanIdOrSourceIdIsRefusedWhole() {
        assertThatThrownBy(() -> PropellerLinks.lookupKey("sku")).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).error().code()).isEqualTo(400);
        assertThat(PropellerLinks.lookupKey("sourceId")).isEqualTo("sourceId");
        JsonNode none = null;
        assertThatThrownBy(() -> PropellerLinks.read(none, "id")).isInstanceOf(ApiException.class);
    }
}
