package org.wishengine.wish.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerDelaysTest {

    /** perf sched timehist's header, then switches: time, cpu, task[tid/pid], wait, sch delay, run (ms). */
    private static final List<String> TIMEHIST = List.of(
            "           time    cpu  task name                       wait time  sch delay   run time",
            "                        [tid/pid]                          (msec)     (msec)     (msec)",
            "--------------- ------  ------------------------------  ---------  ---------  ---------",
            "     100.000100 [0000]  wish-io-2-1[11/10]                  0.050      0.000      0.020 ",
            // the JIT compiler runs 2 ms on CPU 0 (100.000100 .. 100.002100) ...
            "     100.002100 [0000]  C2 CompilerThre[12/10]             80.000      0.010      2.000 ",
            // ... while the loop, woken at 100.000500, waits 1.6 ms for it, then runs 0.1 ms
            "     100.002200 [0000]  wish-io-2-1[11/10]                  2.000      1.600      0.100 ",
            "     100.002300 [0001]  redis-server[20]                    0.100      0.020      0.050 ",
            // CPU 1 was idle while Redis waited 0.7 ms: a slow wake-up, not a busy core
            "     100.003000 [0001]  <idle>                              0.000      0.000      0.650 ",
            "     100.003100 [0001]  redis-server[20]                    0.700      0.700      0.050 ",
            "     100.003200 [0001]  wish-load-1-1[30/29]                0.010      0.010      0.100 ",
            "Note: this line is not a switch");

    @Test
    void shouldReadTasksWhoseNamesHoldSpacesAndSkipTheHeader() {
        List<SchedulerDelays.Switch> switches = SchedulerDelays.parse(TIMEHIST);

        assertEquals(7, switches.size());
        assertEquals("C2 CompilerThre", switches.get(1).task());
        assertEquals("[0000]", switches.get(1).cpu());
        assertEquals(2.0, switches.get(1).runMillis(), 1e-9);
        assertEquals("<idle>", switches.get(4).task());
    }

    @Test
    void shouldGiveEachWatchedThreadItsDelaysAndNameWhatHeldTheCpu() {
        SchedulerDelays delays = SchedulerDelays.of(SchedulerDelays.parse(TIMEHIST),
                List.of("wish-io", "redis-server", "wish-load"), 0.5);

        SchedulerDelays.ThreadDelays loop = delays.threads().stream()
                .filter(t -> t.thread().equals("wish-io-2-1")).findFirst().orElseThrow();
        assertEquals(2, loop.switches());
        assertEquals(1.6, loop.max(), 1e-9);
        assertEquals(List.of("redis-server", "wish-io-2-1", "wish-load-1-1"),
                delays.threads().stream().map(SchedulerDelays.ThreadDelays::thread).toList());

        assertEquals(2, delays.longDelays());
        assertEquals(List.of(new SchedulerDelays.Holder("C2 CompilerThre", 1, 1.6),
                new SchedulerDelays.Holder("<idle>", 1, 0.7)), delays.holders());
        String report = delays.describe();
        assertTrue(report.contains("delays of 0.5 ms or more: 2, 2 ms in all"), report);
    }

    @Test
    void shouldNameNoHolderWhenNoDelayIsLong() {
        SchedulerDelays delays = SchedulerDelays.of(SchedulerDelays.parse(TIMEHIST), List.of("wish-load"), 0.5);

        assertEquals(0, delays.longDelays());
        assertEquals(List.of(), delays.holders());
        assertEquals(1, delays.threads().size());
    }
}
