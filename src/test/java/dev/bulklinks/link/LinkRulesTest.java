package dev.bulklinks.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulklinks.job.ItemOutcome.Failed;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract's order of checks, on plain facts: no database, no Quarkus. */
class LinkRulesTest {

    static final String TYPE = "breakdown|folder|folder";
    final UUID folderA = UUID.randomUUID();
    final UUID folderB = UUID.randomUUID();
    final UUID version = UUID.randomUUID();
    final Map<UUID, String> entities = new HashMap<>(Map.of(folderA, "folder", folderB, "folder", version, "version"));
    final Set<String> registered = new HashSet<>(Set.of(TYPE));
    final Set<UUID> taken = new HashSet<>();
    final Set<String> forbidden = new HashSet<>();

    final LinkRules.Facts facts = new LinkRules.Facts() {
        public String entityType(UUID id) {
            return entities.get(id);
        }

        public boolean registered(String linkType) {
            return registered.contains(linkType);
        }

        public boolean idTaken(UUID id) {
            return taken.contains(id);
        }

        public boolean allowed(String linkType) {
            return !forbidden.contains(linkType);
        }
    };

    private Failed check(Object input, Object output, String type) {
        return LinkRules.check(LinkRules.parse(
                new LinkItem(EntityRef.of(String.valueOf(input)), EntityRef.of(String.valueOf(output)), type, null, null, null, null)), facts);
    }

    @Test
    void aValidLinkPasses() {
        assertThat(check(folderA, folderB, TYPE)).isNull();
    }

    @Test
    void eachCheckAnswersItsCode() {
        assertThat(check(folderA, folderB, null).code()).isEqualTo(400);
        forbidden.add(TYPE);
        assertThat(check(folderA, folderB, TYPE).code()).isEqualTo(403);
        forbidden.clear();
        assertThat(check(folderA, folderB, "breakdown").code()).isEqualTo(400);
        assertThat(check(folderA, folderA, TYPE).code()).isEqualTo(400);
        assertThat(check(UUID.randomUUID(), folderB, TYPE).code()).isEqualTo(404);
        assertThat(check(folderA, version, TYPE).code()).isEqualTo(1001);
        registered.clear();
        assertThat(check(folderA, folderB, TYPE).code()).isEqualTo(1001);
    }

    @Test
    void checksComeInTheContractsOrder() {
        // Everything wrong at once: the first check in the contract's order wins.
        forbidden.add("x|y|z");
        assertThat(check(UUID.randomUUID(), UUID.randomUUID(), "x|y|z").code()).as("allowed before existence").isEqualTo(403);
        assertThat(check(folderA, folderA, "bad").code()).as("three parts before self-link").isEqualTo(400);
        assertThat(check(folderA, folderA, "bad").message()).contains("name|input_type|output_type");
        assertThat(check(version, UUID.randomUUID(), TYPE).code()).as("existence before type match").isEqualTo(404);
        registered.clear();
        assertThat(check(version, folderB, TYPE).code()).as("type match before registration").isEqualTo(1001);
        assertThat(check(version, folderB, TYPE).message()).contains("is a 'version'");
    }

    @Test
    void takenIdIsTheLastCheck() {
        UUID id = UUID.randomUUID();
        taken.add(id);
        LinkItem item = new LinkItem(EntityRef.of(folderA.toString()), EntityRef.of(folderB.toString()), TYPE, null, id.toString(), null, null);
        assertThat(LinkRules.check(LinkRules.parse(item), facts).code()).isEqualTo(409);
        registered.clear();
        assertThat(LinkRules.check(LinkRules.parse(item), facts).code()).isEqualTo(1001);
    }

    @Test
    void ayonIdsOfThirtyTwoHexDigitsAreAccepted() {
        assertThat(check(folderA.toString().replace("-", ""), folderB, TYPE)).isNull();
    }
}
