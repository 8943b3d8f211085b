package io.sweeplab.app.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.sweeplab.core.sweep.SweepTable;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SweepTable.Table} as a CSV download (RFC 4180 quoting through Jackson's CSV module): a header row, then
 * one row per table row; a list or map value (such as {@code params.filters}) is written as its JSON text.
 */
public final class Csv {

    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Csv() {}

    public static String write(SweepTable.Table table) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        table.columns().forEach(schema::addColumn);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : table.rows()) {
            Map<String, Object> flat = new LinkedHashMap<>();
            row.forEach((k, v) -> flat.put(k, v instanceof Map || v instanceof List ? json(v) : v));
            rows.add(flat);
        }
        try {
            return CSV.writer(schema.build()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A download of {@code table} as {@code filename}. */
    public static Response download(SweepTable.Table table, String filename) {
        return Response.ok(write(table), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .build();
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
