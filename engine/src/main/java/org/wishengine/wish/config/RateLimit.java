package org.wishengine.wish.config;

import java.util.Locale;

/**
 * The claim rate limits, parsed from {@code off} or {@code user=5/s,address=200/s}. A limit of
 * zero means none.
 *
 * @param perUser    claims per second one user may make
 * @param perAddress claims per second one client address may make
 */
public record RateLimit(double perUser, double perAddress) {

    public static final RateLimit OFF = new RateLimit(0, 0);

    public boolean isOff() {
        return perUser == 0 && perAddress == 0;
    }

    /** Parses the flag's value; throws {@link IllegalArgumentException} with a readable message. */
    public static RateLimit parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("off")) {
            return OFF;
        }
        double user = 0;
        double address = 0;
        for (String part : value.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2 || !pair[1].endsWith("/s")) {
                throw new IllegalArgumentException("rate limit must be 'off' or like 'user=5/s,address=200/s', not '" + text + "'");
            }
            double rate;
            try {
                rate = Double.parseDouble(pair[1].substring(0, pair[1].length() - 2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a rate: '" + pair[1] + "'");
            }
            if (rate <= 0) {
                throw new IllegalArgumentException("a rate must be positive: '" + part + "'");
            }
            switch (pair[0].trim()) {
                case "user" -> user = rate;
                case "address" -> address = rate;
                default -> throw new IllegalArgumentException("unknown rate limit '" + pair[0] + "' (use user or address)");
            }
        }
        return new RateLimit(user, address);
    }
}
