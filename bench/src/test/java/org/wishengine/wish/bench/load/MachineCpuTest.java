package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineCpuTest {

    @TempDir
    Path dir;

    @Test
    void shouldCountUserNiceSystemAndInterruptsAsBusyAndIoWaitAsIdle() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        MachineCpu.Ticks ticks = MachineCpu.parse("cpu  100 2 30 500 7 3 4 9 50 0");
        assertEquals(100 + 2 + 30 + 3 + 4, ticks.busy(), "guest time is inside user already");
        assertEquals(507, ticks.idle());
        assertEquals(9, ticks.steal());
    }

    @Test
    void shouldRefuseALineThatIsNotTheAggregate() {
        assertThrows(IllegalArgumentException.class, () -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8 9 10"));
        assertThrows(IllegalArgumentException.class, () -> MachineCpu.parse("cpu 1 2 3"));
    }

    @Test
    void shouldGiveTheWindowsShareOfBusyAndStolenTime() {
        MachineCpu.Ticks before = new MachineCpu.Ticks(1_000, 5_000, 10);
        MachineCpu.Ticks after = new MachineCpu.Ticks(1_000 + 880, 5_000 + 110, 10 + 10); // 1,000 ticks later
        assertEquals("machine CPU in the window: 88% busy, 1.0% steal (all cores, load generator included)",
                MachineCpu.summary(before, after));
    }

    @Test
    void shouldReadTheCountersAtBothEndsOfTheWindow() throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  1000 0 200 8000 0 0 0 0 0 0\ncpu0 500 0 100 4000 0 0 0 0 0 0\nintr 1 2\n");
        MachineCpu cpu = new MachineCpu(stat);
        cpu.windowOpened();
        Files.writeString(stat, "cpu  1500 0 300 8390 0 0 0 10 0 0\ncpu0 750 0 150 4195 0 0 0 5 0 0\nintr 1 2\n");
        cpu.windowClosed();
        assertEquals("machine CPU in the window: 60% busy, 1.0% steal (all cores, load generator included)",
                cpu.summary());
    }

    @Test
    void shouldSaySoWhenTheCountersCannotBeRead() {
        MachineCpu cpu = new MachineCpu(dir.resolve("no-such-file"));
        cpu.windowOpened();
        cpu.windowClosed();
        assertEquals("machine CPU in the window: not known (no /proc/stat)", cpu.summary());
        assertEquals("machine CPU in the window: not known (no /proc/stat)", MachineCpu.summary(null, null));
    }
}
