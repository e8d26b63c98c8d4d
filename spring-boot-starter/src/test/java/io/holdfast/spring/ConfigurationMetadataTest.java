package io.holdfast.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata the build writes (IDE completion) describes every {@code holdfast.*}
 * property, and the README's property table lists exactly those properties.
 */
class ConfigurationMetadataTest {

    private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");

    @Test
    void everyProperty_hasADescription_andIsInTheReadmeTable() throws IOException {
        Map<String, String> described = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
            for (JsonNode p : new ObjectMapper().readTree(in).get("properties")) {
                described.put(p.get("name").asText(), p.path("description").asText(""));
            }
        }
        assertThat(described).isNotEmpty().allSatisfy((name, description) ->
                assertThat(description).as(name).isNotBlank());

        String readme = Files.readString(README);
        int table = readme.indexOf("| property | default | what |");
        assertThat(table).as("the README's property table").isNotNegative();
        Matcher row = Pattern.compile("^\\| `(holdfast\\.[a-z.-]+)` \\|", Pattern.MULTILINE)
                .matcher(readme.substring(table, readme.indexOf("\n\n", table)));
        List<String> inReadme = row.results().map(r -> r.group(1)).toList();
        assertThat(inReadme).containsExactlyInAnyOrderElementsOf(described.keySet());
    }
}
