package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.countersign.push.store.ActivityStore;
import org.countersign.push.store.ActivityStore.Cursor;
import org.countersign.push.store.ActivityStore.Query;
import org.countersign.push.store.ActivityStore.StoredEvent;

/**
 * The activity export: every event that matches the filter, however many, as {@link ActivityCsv}. Events are read
 * {@value #PAGE} at a time, newest first, each page continuing where the last ended ({@link Cursor}: time, then id),
 * and the next page is read only once the last one was written out, so memory holds one page whatever the size of
 * the log and a slow download slows the reading instead of filling the heap.
 */
public final class ActivityExport {
    static final int PAGE = 500;

    private final Pool pool;
    private final ActivityStore store;

    public ActivityExport(Pool pool, ActivityStore store) {
        this.pool = Objects.requireNonNull(pool);
        this.store = Objects.requireNonNull(store);
    }

    /**
     * Reads the first page, then calls {@code open} once for the stream to write to (so a failure before any byte
     * was written can still be answered as an error) and writes the header and every page. The future fails when a
     * later read or write fails: the caller must then cut the stream, as the file is incomplete.
     */
    public Future<Void> export(Query filter, Supplier<WriteStream<Buffer>> open) {
        return read(filter, filter.before()).compose(first -> {
            WriteStream<Buffer> out = open.get();
            return out.write(Buffer.buffer(ActivityCsv.HEADER + "\r\n"))
                    .compose(ignored -> writePages(filter, first, out));
        });
    }

    private Future<Void> writePages(Query filter, List<StoredEvent> page, WriteStream<Buffer> out) {
        if (page.isEmpty()) {
            return Future.succeededFuture();
        }
        Future<Void> written = out.write(Buffer.buffer(ActivityCsv.rows(page)));
        if (page.size() < PAGE) {
            return written;
        }
        Optional<Cursor> next = Optional.of(Cursor.after(page.get(page.size() - 1)));
        return written.compose(ignored -> read(filter, next)).compose(more -> writePages(filter, more, out));
    }

    private Future<List<StoredEvent>> read(Query filter, Optional<Cursor> before) {
        return store.find(pool, filter.page(before, PAGE));
    }
}
