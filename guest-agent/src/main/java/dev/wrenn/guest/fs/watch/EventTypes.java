package dev.wrenn.guest.fs.watch;

import dev.wrenn.protocol.envd.filesystem.EventType;

/** The envd event type of an inotify event mask. */
final class EventTypes {
    private EventTypes() {}

    /** The event type, or null for masks clients are not told about. */
    static EventType of(int mask) {
        if ((mask & (LinuxInotify.IN_CREATE | LinuxInotify.IN_MOVED_TO)) != 0) {
            return EventType.EVENT_TYPE_CREATE;
        }
        if ((mask & LinuxInotify.IN_MODIFY) != 0) {
            return EventType.EVENT_TYPE_WRITE;
        }
        if ((mask & (LinuxInotify.IN_DELETE | LinuxInotify.IN_DELETE_SELF)) != 0) {
            return EventType.EVENT_TYPE_REMOVE;
        }
        if ((mask & (LinuxInotify.IN_MOVED_FROM | LinuxInotify.IN_MOVE_SELF)) != 0) {
            return EventType.EVENT_TYPE_RENAME;
        }
        if ((mask & LinuxInotify.IN_ATTRIB) != 0) {
            return EventType.EVENT_TYPE_CHMOD;
        }
        return null;
    }
}
