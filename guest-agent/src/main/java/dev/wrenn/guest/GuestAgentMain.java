package dev.wrenn.guest;

/** Entry point of the guest agent; wiring lands with the HTTP server. */
public final class GuestAgentMain {
    private GuestAgentMain() {}

    public static void main(String[] args) {
        System.out.println("wrenn guest agent: not wired yet");
    }
}
