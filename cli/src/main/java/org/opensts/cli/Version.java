package org.opensts.cli;

import picocli.CommandLine;

/** The version printed by {@code opensts --version}, from the jar's manifest. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = OpenSts.class.getPackage().getImplementationVersion();
        return new String[] {"OpenSTS " + (version == null ? "(development build)" : version)};
    }
}
