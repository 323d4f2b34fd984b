package dev.bulklinks.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    @Test
    void anEmptyAllowListRefusesEveryHost() {
        assertThat(new Destinations(List.of()).refusal("https://93.184.215.14/hook"))
                .hasValueSatisfying(why -> assertThat(why).contains("not on the service's allow-list", "which is empty"));
    }

    @Test
    void aListedAddressOrRangeMayBeCalledEvenWhenPrivate() {
        Destinations d = new Destinations(List.of("127.0.0.1", "10.20.0.0/16", "::1"));
        assertThat(d.refusal("http://127.0.0.1:8080/hook")).isEmpty();
        assertThat(d.refusal("http://10.20.3.4/hook")).isEmpty();
        assertThat(d.refusal("http://[::1]:9000/hook")).isEmpty();
        assertThat(d.refusal("http://10.21.0.1/hook")).isPresent();
        assertThat(d.refusal("http://127.0.0.2/hook")).isPresent();
    }

    @Test
    void aNameNotListedIsRefusedThoughItsAddressIsListed() {
        // localhost resolves to 127.0.0.1, which is listed: the name itself is not, and names are what is checked.
        assertThat(new Destinations(List.of("127.0.0.1")).refusal("http://localhost/hook"))
                .hasValueSatisfying(why -> assertThat(why).contains("'localhost' is not on"));
        assertThat(new Destinations(List.of("localhost")).refusal("http://localhost:1234/hook")).isEmpty();
    }

    @Test
    void aWildcardAllowsOnlyPublicAddresses() {
        Map<String, String> dns = Map.of("hooks.example.com", "93.184.215.14", "internal.example.com", "10.0.0.7",
                "metadata.example.com", "169.254.169.254", "example.com", "93.184.215.14");
        Destinations d = new Destinations(List.of("*.example.com"),
                host -> new InetAddress[] {InetAddress.getByName(dns.get(host))});
        assertThat(d.refusal("https://hooks.example.com/hook")).isEmpty();
        assertThat(d.refusal("https://internal.example.com/hook"))
                .hasValueSatisfying(why -> assertThat(why).contains("resolves to 10.0.0.7", "listed exactly"));
        assertThat(d.refusal("https://metadata.example.com/hook")).isPresent();
        assertThat(d.refusal("https://example.com/hook")).isPresent(); // the wildcard is for subdomains only
        assertThat(d.refusal("https://evilexample.com/hook")).isPresent();
        // Listed exactly, a name may resolve to a private address: the operator said so.
        assertThat(new Destinations(List.of("internal.example.com"),
                host -> new InetAddress[] {InetAddress.getByName(dns.get(host))})
                .refusal("https://internal.example.com/hook")).isEmpty();
    }

    @Test
    void onlyHttpUrlsWithoutCredentialsAreTaken() {
        Destinations d = new Destinations(List.of("127.0.0.1"));
        assertThat(d.refusal("ftp://127.0.0.1/hook")).hasValueSatisfying(w -> assertThat(w).contains("http or https"));
        assertThat(d.refusal("http://user:pw@127.0.0.1/hook")).hasValueSatisfying(w -> assertThat(w).contains("user name"));
        assertThat(d.refusal("not a url")).isPresent();
        assertThat(d.refusal("http:///hook")).isPresent();
    }

    @Test
    void privateLoopbackLinkLocalSharedAndUniqueLocalAddressesAreNotPublic() throws Exception {
        for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "224.0.0.1")) {
            assertThat(Destinations.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        for (String address : List.of("93.184.215.14", "8.8.8.8", "100.128.0.1", "2606:4700::1111")) {
            assertThat(Destinations.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
    }
}
