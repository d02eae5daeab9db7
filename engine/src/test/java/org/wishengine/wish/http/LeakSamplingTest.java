package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeakSamplingTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(LeakSampling.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(LeakSampling.PROPERTY);
        } else {
            System.setProperty(LeakSampling.PROPERTY, before);
        }
    }

    @Test
    void shouldSwitchSamplingOffWhenNobodyChoseALevel() {
        System.clearProperty(LeakSampling.PROPERTY);
        LeakSampling.offUnlessConfigured();
        assertEquals("disabled", System.getProperty(LeakSampling.PROPERTY));
    }

    @Test
    void shouldKeepALevelSetOnTheCommandLine() {
        System.setProperty(LeakSampling.PROPERTY, "paranoid");
        LeakSampling.offUnlessConfigured();
        assertEquals("paranoid", System.getProperty(LeakSampling.PROPERTY));
    }
}
