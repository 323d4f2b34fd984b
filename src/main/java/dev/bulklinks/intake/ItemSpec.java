package dev.bulklinks.intake;

import java.util.Set;
import java.util.function.Function;

/**
 * What a bulk body holds: the name of its item array, the item type, the option fields allowed
 * beside the array, and the fields every item must give.
 *
 * @param missingField answers the name of a required field an item lacks, or null
 */
record ItemSpec<T>(String arrayField, Class<T> type, Set<String> options, Function<T, String> missingField) {
}
