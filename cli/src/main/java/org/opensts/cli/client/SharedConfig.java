package org.opensts.cli.client;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The profiles of the shared {@code config} and {@code credentials} files, read as the AWS CLI reads them (AWS CLI
 * User Guide, "Configuration and credential file settings"): in the config file a profile is {@code [profile name]}
 * or {@code [default]} (a bare {@code [name]} there is not a profile), in the credentials file it is {@code [name]};
 * where both files set the same key of the same profile the credentials file wins. {@code [services name]} sections
 * of the config file hold per-service settings such as {@code endpoint_url}.
 */
final class SharedConfig {
    /** A profile's settings from each file, so providers that read only one file can. */
    record Profile(String name, Map<String, String> fromConfig, Map<String, String> fromCredentials) {
        Profile {
            fromConfig = Map.copyOf(fromConfig);
            fromCredentials = Map.copyOf(fromCredentials);
        }

        /** The merged value: the credentials file's, else the config file's. */
        Optional<String> get(String key) {
            String value = fromCredentials.get(key);
            return Optional.ofNullable(value != null ? value : fromConfig.get(key)).filter(v -> !v.isEmpty());
        }

        boolean has(String key) {
            return get(key).isPresent();
        }

        /** The setting names only: the credentials file's values are secret access keys and session tokens. */
        @Override
        public String toString() {
            return "Profile[" + name + " config=" + fromConfig.keySet() + " credentials=" + fromCredentials.keySet()
                    + ']';
        }
    }

    private final Map<String, Profile> profiles;
    private final Map<String, Map<String, Map<String, String>>> services;

    private SharedConfig(Map<String, Profile> profiles, Map<String, Map<String, Map<String, String>>> services) {
        this.profiles = profiles;
        this.services = services;
    }

    static SharedConfig of(IniFile config, IniFile credentials) {
        var fromConfig = new LinkedHashMap<String, Map<String, String>>();
        var services = new HashMap<String, Map<String, Map<String, String>>>();
        for (IniFile.Section section : config.sections()) {
            String name = section.name();
            if (name.equals("default")) {
                fromConfig.merge("default", section.values(), SharedConfig::overlay);
            } else if (name.startsWith("profile") && name.length() > 7 && Character.isWhitespace(name.charAt(7))) {
                fromConfig.merge(name.substring(7).strip(), section.values(), SharedConfig::overlay);
            } else if (name.startsWith("services") && name.length() > 8
                    && Character.isWhitespace(name.charAt(8))) {
                services.put(name.substring(8).strip(), section.subSections());
            }
        }
        var fromCredentials = new LinkedHashMap<String, Map<String, String>>();
        for (IniFile.Section section : credentials.sections()) {
            fromCredentials.put(section.name().strip(), section.values());
        }
        var profiles = new HashMap<String, Profile>();
        fromConfig.forEach((name, values) -> profiles.put(name,
                new Profile(name, values, fromCredentials.getOrDefault(name, Map.of()))));
        fromCredentials.forEach((name, values) -> profiles.putIfAbsent(name, new Profile(name, Map.of(), values)));
        return new SharedConfig(Map.copyOf(profiles), Map.copyOf(services));
    }

    private static Map<String, String> overlay(Map<String, String> first, Map<String, String> second) {
        var merged = new HashMap<>(first);
        merged.putAll(second);
        return merged;
    }

    Optional<Profile> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    /** A setting of one service in the {@code [services name]} section {@code sectionName}. */
    Optional<String> serviceSetting(String sectionName, String service, String key) {
        return Optional.ofNullable(services.get(sectionName))
                .map(section -> section.get(service))
                .map(settings -> settings.get(key))
                .filter(value -> !value.isEmpty());
    }
}
