package io.sweeplab.app.worker;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tells waiting remote workers at once that one of their runs was cancelled: each worker keeps one long-poll
 * open ({@code POST /api/worker/cancels}), answered the moment a cancel concerns it, or empty after a while.
 */
@ApplicationScoped
public class CancelNotifier {

    private record Waiter(Set<Long> runs, CompletableFuture<List<Long>> answer) {}

    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();

    /** Waits until one of these runs is cancelled, or {@code timeout} passes (then answers an empty list). */
    public CompletableFuture<List<Long>> await(String worker, Set<Long> runs, Duration timeout) {
        CompletableFuture<List<Long>> answer = new CompletableFuture<List<Long>>()
                .completeOnTimeout(List.of(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        Waiter previous = waiting.put(worker, new Waiter(Set.copyOf(runs), answer));
        if (previous != null) {
            previous.answer().complete(List.of()); // a worker has one poll open: the newer replaces the older
        }
        answer.whenComplete((r, e) -> waiting.remove(worker, new Waiter(Set.copyOf(runs), answer)));
        return answer;
    }

    /** A run was cancelled: answer the worker waiting for it, if any. */
    public void cancelled(long run) {
        for (Waiter w : waiting.values()) {
            if (w.runs().contains(run)) {
                w.answer().complete(List.of(run));
            }
        }
    }
}
