package dev.wrenn.guest.fs.watch;

import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.fs.EntryInfos;
import dev.wrenn.protocol.envd.filesystem.EventType;
import dev.wrenn.protocol.envd.filesystem.FilesystemEvent;

/** Turns watcher events into envd's {@code FilesystemEvent}, attaching the entry when asked and it makes sense. */
final class WatchEvents {
    private final EntryInfos entries;

    WatchEvents(EntryInfos entries) {
        this.entries = entries;
    }

    /**
     * The wire event. With {@code includeEntry}, create/write/chmod events carry the entry as it is now; removes and
     * renames never do (the path no longer holds that entry), nor does an entry that vanished meanwhile.
     */
    FilesystemEvent toProto(WatchEvent event, boolean includeEntry) {
        FilesystemEvent.Builder proto =
                FilesystemEvent.newBuilder().setName(event.name()).setType(event.type());
        if (includeEntry && describesEntry(event.type())) {
            try {
                proto.setEntry(entries.describe(event.path()));
            } catch (ConnectException e) {
                // gone again before we looked: the event still happened, just without an entry
            }
        }
        return proto.build();
    }

    private static boolean describesEntry(EventType type) {
        return type == EventType.EVENT_TYPE_CREATE
                || type == EventType.EVENT_TYPE_WRITE
                || type == EventType.EVENT_TYPE_CHMOD;
    }
}
