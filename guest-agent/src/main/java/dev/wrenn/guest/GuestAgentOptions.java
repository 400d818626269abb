package dev.wrenn.guest;

/** Command-line options of the guest agent. */
record GuestAgentOptions(String bindAddress, int port, String defaultUser, boolean help, boolean train) {
    static final String USAGE = """
            usage: wrenn guest-agent [--port N] [--bind ADDRESS] [--default-user NAME] [--train]
              --port N             TCP port to listen on (default 49983, envd's port)
              --bind ADDRESS       address to listen on (default 0.0.0.0)
              --default-user NAME  user for requests that name none, until /init sets one (default root)
              --train              the AOT training run: start on a free loopback port, call every kind of
                                   endpoint once or twice, stop and exit (see guest-agent/train-aot-cache.sh)""";

    static GuestAgentOptions parse(String[] args) {
        String bind = "0.0.0.0";
        int port = 49983;
        String user = "root";
        boolean train = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--bind" -> bind = value(args, ++i, "--bind");
                case "--default-user" -> user = value(args, ++i, "--default-user");
                case "--train" -> train = true;
                case "-h", "--help" -> {
                    return new GuestAgentOptions(bind, port, user, true, train);
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new GuestAgentOptions(bind, port, user, false, train);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
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
