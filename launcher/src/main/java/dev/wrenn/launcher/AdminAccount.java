package dev.wrenn.launcher;

import dev.wrenn.control.auth.PasswordHasher;
import dev.wrenn.control.config.Config;
import dev.wrenn.control.db.AccountRepository;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.service.FirstAdmin;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code wrenn up}'s administrator account: made with a generated password at the first start (there is no fixed
 * default password), given a new one with {@code --reset-password}, and otherwise left alone. The password is
 * returned to be printed once and is never logged.
 */
final class AdminAccount {
    private AdminAccount() {}

    static Quickstart.Admin prepare(Config config, boolean resetPassword) {
        try (Database database = Database.open(config.database())) {
            FirstAdmin admins = new FirstAdmin(
                    new AccountRepository(database), new PasswordHasher(config.bcryptCost()), Clock.systemUTC());
            Optional<FirstAdmin.Credentials> created = admins.createIfNoAccount(FirstAdmin.DEFAULT_EMAIL);
            if (created.isEmpty() && resetPassword) {
                created = Optional.of(admins.resetPassword());
            }
            if (created.isPresent()) {
                return new Quickstart.Admin(created.get().email(), created.get().password());
            }
            // An installation from before the first account was made here: its first administrator, if any.
            return new Quickstart.Admin(admins.email().orElse(FirstAdmin.DEFAULT_EMAIL), null);
        }
    }
}
