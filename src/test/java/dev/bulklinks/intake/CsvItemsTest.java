package dev.bulklinks.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiException;
import dev.bulklinks.api.JsonSettings;
import dev.bulklinks.api.LimitedInputStream;
import dev.bulklinks.entity.EntityItem;
import dev.bulklinks.link.LinkItem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsvItemsTest {

    private static final ItemSpec<LinkItem> LINKS = new ItemSpec<>("links", LinkItem.class, Set.of(),
            LinkItem::missingField);
    private static final ItemSpec<EntityItem> ENTITIES = new ItemSpec<>("entities", EntityItem.class, Set.of(),
            item -> item.type() == null ? "type" : item.name() == null ? "name" : null);
    private static final ItemSpec<String> IDS = new ItemSpec<>("ids", String.class, Set.of(), id -> null);

    private final ObjectMapper json = json();

    private static ObjectMapper json() {
        ObjectMapper mapper = new ObjectMapper();
        new JsonSettings().customize(mapper);
        return mapper;
    }

    private <T> List<T> read(ItemSpec<T> spec, String csv) throws Exception {
        List<T> items = new ArrayList<>();
        new CsvItems(json, 1_000_000).read(new LimitedInputStream(new ByteArrayInputStream(
                csv.getBytes(StandardCharsets.UTF_8)), 10_000_000, "smaller"), spec, items::add);
        return items;
    }

    private String refusal(ItemSpec<?> spec, String csv) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> read(spec, csv));
        assertThat(thrown).isInstanceOf(ApiException.class);
        ApiException e = (ApiException) thrown;
        assertThat(e.error().code()).isEqualTo(400);
        return e.error().message();
    }

    @Test
    void rowsAreItemsWithTypedCellsQuotedAsRfc4180Says() throws Exception {
        List<LinkItem> links = read(LINKS, """
                input,output,linkType,data,position,name
                a1,b1,breakdown|folder|folder,"{""note"": ""a, b"", ""n"": 1.50}",3,"two
                lines"
                a2,b2,breakdown|folder|folder,,,
                "{""source"": ""erp"", ""sourceId"": ""19815""}",b3,ref|folder|folder,{},,
                """);
        assertThat(links).hasSize(3);
        assertThat(links.get(0).data().toString()).isEqualTo("{\"note\":\"a, b\",\"n\":1.50}");
        assertThat(links.get(0).position()).isEqualTo(3);
        assertThat(links.get(0).name()).isEqualTo("two\nlines");
        assertThat(links.get(1).data()).isNull();
        assertThat(links.get(1).name()).isNull();
        assertThat(links.get(2).input().toString()).contains("erp", "19815");
        assertThat(links.get(2).linkType()).isEqualTo("ref|folder|folder");
    }

    @Test
    void entitiesAndIdsToo() throws Exception {
        List<EntityItem> entities = read(ENTITIES, "type,name,parent\r\nfolder,sh010,\r\nfolder,\"chair, red\",sh010\r\n");
        assertThat(entities).extracting(EntityItem::name).containsExactly("sh010", "chair, red");
        assertThat(read(IDS, "id\n6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2\n")).containsExactly("6c1f1b9e-2f43-4a8e-9d59-3b1c55a0e7d2");
    }

    @Test
    void errorsNameTheLineAndTheColumn() {
        assertThat(refusal(LINKS, "input,output,linkType,data\na,b,t|f|f,{}\na,b,t|f|f,{not json}\n"))
                .contains("item 1 (line 3), column 'data': the cell must be JSON");
        assertThat(refusal(LINKS, "input,output,linkType,position\na,b,t|f|f,first\n"))
                .contains("item 0 (line 2), column 'position': 'first' is not a whole number");
        assertThat(refusal(LINKS, "input,output,color\na,b,red\n"))
                .contains("column 'color', which is no field").contains("linkType");
        assertThat(refusal(LINKS, "input,output,input\na,b,c\n")).contains("names column 'input' twice");
        assertThat(refusal(LINKS, "input,output\na,b\n")).contains("item 0 (line 2): column 'linkType' is required");
        assertThat(refusal(LINKS, "input,output,linkType\na,b,t|f|f,extra\n")).contains("line 2");
        assertThat(refusal(LINKS, "input,output,linkType\na,\"b,t|f|f\n")).contains("line");
        assertThat(refusal(LINKS, "")).contains("header row");
    }
}
