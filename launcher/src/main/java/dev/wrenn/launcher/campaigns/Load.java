package dev.wrenn.launcher.campaigns;

import java.io.PrintStream;
import java.util.Set;

final class Load implements Campaigns.Campaign {
    static final Set<String> FLAGS = Set.of();
    static final String USAGE = "";

    Load(Session session, CampaignOptions options, PrintStream out) {}

    @Override
    public int run() {
        return 1;
    }

    @Override
    public void interrupted() {}
}
