package dev.pipec.testrunner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/** What the collecting sinks of the running test received, per sink table. One test runs at a time. */
final class Collected {
    private static final Map<String, List<JsonNode>> BY_TABLE = new HashMap<>();

    private Collected() {}

    static synchronized void add(String table, JsonNode change) {
        BY_TABLE.computeIfAbsent(table, t -> new ArrayList<>()).add(change);
    }

    static synchronized List<JsonNode> take(String table) {
        List<JsonNode> out = BY_TABLE.remove(table);
        return out == null ? List.of() : out;
    }

    static synchronized void clear() {
        BY_TABLE.clear();
    }
}
