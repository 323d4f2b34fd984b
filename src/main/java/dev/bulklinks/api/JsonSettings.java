package dev.bulklinks.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Strict JSON for every body the service reads: unknown fields, duplicate keys, and values of the
 * wrong type ("5" for a number, 5 for a string) are errors, not guesses. Numbers with a fraction are
 * kept exactly as written (not turned into doubles), so a client's data, and the times in stored
 * events, come back as they went in: 1795552458.592301, not 1.795552458592301E9. Text must be valid
 * Unicode: a lone UTF-16 surrogate is refused where it is read ({@link StrictJsonFactory}).
 */
@Singleton
public class JsonSettings implements ObjectMapperCustomizer {

    /**
     * Longest string accepted anywhere in a body: a backstop above the body and item size limits
     * (1M by default), which then answer first, with 413, wherever a long string falls in Jackson's
     * read-ahead.
     */
    public static final int MAX_STRING_LENGTH = 4_000_000;
    /** Deepest nesting of arrays and objects accepted in a body. */
    public static final int MAX_NESTING = 64;

    /**
     * The service's ObjectMapper, in place of Quarkus's default one and made the same way (every
     * customizer, Quarkus's and this class's, highest priority first), but over a
     * {@link StrictJsonFactory}, whose parsers a customizer cannot change.
     */
    @Produces
    @Singleton
    ObjectMapper objectMapper(Instance<ObjectMapperCustomizer> customizers) {
        ObjectMapper mapper = new ObjectMapper(new StrictJsonFactory());
        customizers.stream().sorted().forEach(customizer -> customizer.customize(mapper));
        return mapper;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNestingDepth(MAX_NESTING)
                .build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        // Quoted numbers and booleans are refused by the feature above; numbers and booleans where a
        // string belongs are refused here.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
}
