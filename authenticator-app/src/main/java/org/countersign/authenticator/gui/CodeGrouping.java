package org.countersign.authenticator.gui;

/** Splits a one-time code into groups that are easy to read and type: "123 456", "123 4567", "1234 5678". */
public final class CodeGrouping {
    private CodeGrouping() {
    }

    /** The code with a space between its groups; codes of 4 digits or fewer are left as they are. */
    public static String group(String code) {
        if (code == null) {
            return "";
        }
        return switch (code.length()) {
            case 0, 1, 2, 3, 4 -> code;
            case 5 -> code.substring(0, 2) + " " + code.substring(2);
            case 6 -> code.substring(0, 3) + " " + code.substring(3);
            case 7 -> code.substring(0, 3) + " " + code.substring(3);
            case 8 -> code.substring(0, 4) + " " + code.substring(4);
            default -> byThrees(code);
        };
    }

    private static String byThrees(String code) {
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < code.length(); i += 3) {
            if (i > 0) {
                grouped.append(' ');
            }
            grouped.append(code, i, Math.min(code.length(), i + 3));
        }
        return grouped.toString();
    }
}
