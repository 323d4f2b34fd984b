package dev.bulklinks.dialect.sas;

import dev.bulklinks.api.ApiError;
import dev.bulklinks.dialect.DialectErrors;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * The SAS dialect's one place for errors of a whole request (a bad body, no token, not a member, an
 * unknown project, overload): whatever the service's {@link dev.bulklinks.api.ErrorMapper} answered in
 * the native envelope leaves as SAS's error object ({@link SasLinks#error(ApiError)}), with the same
 * status and headers ({@code WWW-Authenticate}, {@code Retry-After}).
 */
@Provider
@SasDialect
public class SasErrors implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        DialectErrors.reshape(response, SasLinks::error);
    }
}
