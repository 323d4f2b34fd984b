package dev.bulklinks.dialect.propeller;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.dialect.DialectErrors;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * The Propeller dialect's one place for errors of a whole request (a bad body or lookup key, no token,
 * not a member, an unknown project, overload): whatever the service's {@link dev.bulklinks.api.ErrorMapper}
 * answered in the native envelope leaves as Propeller's error ({@link PropellerLinks#error(ApiError)}), with
 * the same status and headers. A link that fails is not such an error: it is its item's {@code error}.
 */
@Provider
@PropellerDialect
public class PropellerErrors implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        DialectErrors.reshape(response, PropellerLinks::error);
    }
}
