package dev.wrenn.guest;

/**
 * Command-line options of the guest agent. Run by hand it listens on loopback only: until /init sets a token it runs
 * commands as root for anyone who reaches it. In a VM the image's supervisor passes {@code --bind 0.0.0.0} so that
 * the host agent can reach it, and the host agent's /init sets the token before anything else is sent.
 *
 * @param accessToken required on every request but /health from the start (as after /init); null: none until /init
 */
record GuestAgentOptions(
        String bindAddress, int port, String defaultUser, String accessToken, boolean help, boolean train) {
    static final String DEFAULT_BIND = "127.0.0.1";
    static final String USAGE = """
            usage: wrenn guest-agent [--port N] [--bind ADDRESS] [--access-token T] [--default-user NAME] [--train]
              --port N             TCP port to listen on (default 49983, envd's port)
              --bind ADDRESS       address to listen on (default 127.0.0.1; the VM image passes 0.0.0.0)
              --access-token T     X-Access-Token every request but /health must carry (as if /init had set it)
              --default-user NAME  user for requests that name none, until /init sets one (default root)
              --train              the AOT training run: start on a free loopback port, call every kind of
                                   endpoint once or twice, stop and exit (see guest-agent/train-aot-cache.sh)""";

    static GuestAgentOptions parse(String[] args) {
        String bind = DEFAULT_BIND;
        String token = null;
        int port = 49983;
        String user = "root";
        boolean train = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--bind" -> bind = value(args, ++i, "--bind");
                case "--default-user" -> user = value(args, ++i, "--default-user");
                case "--access-token" -> token = requireToken(value(args, ++i, "--access-token"));
                case "--train" -> train = true;
                case "-h", "--help" -> {
                    return new GuestAgentOptions(bind, port, user, token, true, train);
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new GuestAgentOptions(bind, port, user, token, false, train);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    /** An empty token would mean "no token": refuse it rather than start open. */
    private static String requireToken(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("--access-token must not be empty");
        }
        return token;
    }

    @Override
    public String toString() {
        return "GuestAgentOptions[bind=" + bindAddress + ", port=" + port + ", defaultUser=" + defaultUser
                + ", accessToken=" + (accessToken == null ? "none" : "***") + "]";
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--port must be between 1 and 65535, got " + text);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got '" + text + "'");
        }
    }
}
