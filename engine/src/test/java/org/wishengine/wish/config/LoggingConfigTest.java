package org.wishengine.wish.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The jar's logging configuration is only read at run time, where a broken file silences every log line. */
class LoggingConfigTest {

    @Test
    void shouldShipAWellFormedLogbackConfiguration() throws Exception {
        // Tests run with logback-test.xml, so parse the production file explicitly.
        try (InputStream in = LoggingConfigTest.class.getResourceAsStream("/logback.xml")) {
            assertNotNull(in, "logback.xml is on the class path");
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            assertEquals("configuration", document.getDocumentElement().getTagName());
        }
    }
}
