package dev.wrenn.guest.http.init;

import java.io.IOException;

/**
 * Takes fresh random bytes from the host into the guest kernel's pool and re-keys its generator. /init carries them
 * because a VM restored from a snapshot, and every clone of a template, wakes with the generator state it was
 * frozen with: without a re-key, two clones would read the same "random" bytes. Injected so that tests never touch
 * the generator of the machine they run on.
 */
@FunctionalInterface
public interface EntropySink {
    void reseed(byte[] seed) throws IOException;

    /** The real kernel: the bytes written to /dev/urandom, then ioctl(RNDRESEEDCRNG); re-keying needs root. */
    static EntropySink linux() {
        return new LinuxEntropySink();
    }
}
