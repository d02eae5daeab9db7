import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits the bytes allocated per committed claim by thread and by allocation site, from a JFR
 * recording of the same window: a helper of bench/scripts/alloc-per-claim.sh, run as a single
 * source file (java AllocSites.java REC BYTES_PER_CLAIM [TOP]). The total comes from the engine's
 * meters; the recording only gives the shares, because its window is not exactly the meters'.
 *
 * By thread: the exact bytes each thread allocated between the recording's start and end
 * (jdk.ThreadAllocationStatistics, emitted at both ends of a chunk). By site: the sampled
 * allocations (jdk.ObjectAllocationSample, each weighted by what its thread allocated since the
 * thread's previous sample), keyed by the first frame of the engine's own code (org.wishengine),
 * by the class allocated and its top frame, and by both: "ours" is the frame we can change, the
 * top frame says what it built. Each thread's first sample is left out: on JDK 17 its weight is
 * everything the thread allocated before the recording started (JDK-8307488).
 */
public final class AllocSites {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        double perClaim = Double.parseDouble(args[1]);
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Map<Long, long[]> threadFirstLast = new HashMap<>();
        Map<Long, String> threadNames = new HashMap<>();
        Map<String, Long> bySite = new HashMap<>();
        Map<String, Long> byTop = new HashMap<>();
        Map<String, Long> byOurs = new HashMap<>();
        long sampled = 0;
        java.util.Set<Long> sampledThreads = new java.util.HashSet<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.ThreadAllocationStatistics")) {
                    RecordedThread thread = event.getThread("thread");
                    if (thread == null) {
                        continue;
                    }
                    long allocated = event.getLong("allocated");
                    long id = thread.getJavaThreadId();
                    threadNames.put(id, thread.getJavaName());
                    long[] firstLast = threadFirstLast.computeIfAbsent(id, k -> new long[] {-1, 0});
                    if (firstLast[0] < 0) {
                        firstLast[0] = allocated;
                    }
                    firstLast[1] = allocated;
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    RecordedThread thread = event.getThread("eventThread");
                    if (thread == null || sampledThreads.add(thread.getJavaThreadId())) {
                        continue;
                    }
                    long weight = event.getLong("weight");
                    sampled += weight;
                    String cls = event.getClass("objectClass").getName();
                    RecordedStackTrace stack = event.getStackTrace();
                    List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
                    String topFrame = frames.isEmpty() ? "?" : name(frames.get(0));
                    String ours = "(no engine frame)";
                    for (RecordedFrame frame : frames) {
                        if (frame.getMethod().getType().getName().startsWith("org.wishengine")) {
                            ours = name(frame);
                            break;
                        }
                    }
                    bySite.merge(cls + "  <-  " + topFrame + "  <-  " + ours, weight, Long::sum);
                    byTop.merge(cls + "  <-  " + topFrame, weight, Long::sum);
                    byOurs.merge(ours, weight, Long::sum);
                }
            }
        }
        Map<String, Long> byThread = new HashMap<>();
        long threads = 0;
        for (Map.Entry<Long, long[]> e : threadFirstLast.entrySet()) {
            long delta = e.getValue()[1] - e.getValue()[0];
            threads += delta;
            byThread.merge(threadNames.get(e.getKey()).replaceAll("[0-9]+", "N"), delta, Long::sum);
        }
        System.out.printf("%,.0f bytes per committed claim (the meters), split by the recording's shares.%n", perClaim);
        System.out.printf("%nBy thread (exact, jdk.ThreadAllocationStatistics, %,d MiB in the recording):%n", threads >> 20);
        print(byThread, threads, perClaim, top);
        System.out.printf("%nBy the first engine frame (sampled, jdk.ObjectAllocationSample, weights %,d MiB):%n", sampled >> 20);
        print(byOurs, sampled, perClaim, top);
        System.out.printf("%nBy class and top frame:%n");
        print(byTop, sampled, perClaim, top);
        System.out.printf("%nBy class, top frame and first engine frame:%n");
        print(bySite, sampled, perClaim, top);
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName() + ":" + frame.getLineNumber();
    }

    private static void print(Map<String, Long> bytes, long total, double perClaim, int top) {
        List<Map.Entry<String, Long>> rows = new ArrayList<>(bytes.entrySet());
        rows.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> row : rows.subList(0, Math.min(top, rows.size()))) {
            if (row.getValue() > 0) {
                System.out.printf("%8.0f B/claim %5.1f%%  %s%n", perClaim * row.getValue() / total, 100.0 * row.getValue() / total, row.getKey());
            }
        }
    }
}
