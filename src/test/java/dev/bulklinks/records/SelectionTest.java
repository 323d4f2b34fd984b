package dev.bulklinks.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulklinks.api.ApiException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reading a selection, without a database. */
class SelectionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final String a = UUID.randomUUID().toString();
    final String b = UUID.randomUUID().toString();

    private Selection read(String json) throws Exception {
        return Selection.read(JSON.readTree(json.replace("A", a).replace("B", b)));
    }

    private void refused(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).error().code()).isEqualTo(1006))
                .hasMessageContaining(message);
    }

    @Test
    void readsEveryKindOfPart() throws Exception {
        Selection selection = read("""
                ["A", {"children": "B", "exclude": ["A"]},
                 {"search": {"q": "chair", "filter": [["data.color", "=", "red"], ["type", "in", ["a", "b"]]]}}]""");
        assertThat(selection.parts()).hasSize(3);
        assertThat(selection.parts().get(0)).isEqualTo(new Selection.Record(UUID.fromString(a)));
        Selection.Children children = (Selection.Children) selection.parts().get(1);
        assertThat(children.exclude()).containsExactly(UUID.fromString(a));
        Selection.Search search = (Selection.Search) selection.parts().get(2);
        assertThat(search.q()).isEqualTo("chair");
        assertThat(search.filters()).containsExactly(new Selection.Filter("data.color", "=", "red"),
                new Selection.Filter("type", "in", List.of("a", "b")));
        assertThat(search.filters().get(0).dataKey()).isEqualTo("color");
    }

    @Test
    void aSingleFilterNeedsNoOuterList() throws Exception {
        Selection.Search search = (Selection.Search) read("[{\"search\": {\"filter\": [\"name\", \"has\", \"x\"]}}]")
                .parts().get(0);
        assertThat(search.filters()).containsExactly(new Selection.Filter("name", "has", "x"));
    }

    @Test
    void unreadableSelectionsSayWhatIsWrong() {
        refused("{}", "non-empty list");
        refused("[]", "non-empty list");
        refused("[\"x\"]", "selection[0] must be a record id");
        refused("[{\"children\": \"A\", \"limit\": 1}]", "Unknown field 'limit' in selection[0]");
        refused("[{\"search\": {}}]", "needs q or a filter");
        refused("[{\"search\": {\"filter\": [\"price\", \"=\", 1]}}]", "type, name or data.<key>");
        refused("[{\"search\": {\"filter\": [\"data.x; DROP TABLE entity\", \"=\", 1]}}]", "type, name or data.<key>");
        refused("[{\"search\": {\"filter\": [\"name\", \"~\", \"x\"]}}]", "=, !=, has or in");
        refused("[{\"search\": {\"filter\": [\"name\", \"in\", \"x\"]}}]", "non-empty list");
        refused("[{\"search\": {\"filter\": [\"name\", \"=\", {\"a\": 1}]}}]", "string, number or boolean");
        refused("[{\"children\": \"A\", \"exclude\": \"B\"}]", "exclude must be a list");
    }
}
