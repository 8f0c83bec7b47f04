package io.caption4j.vision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-size records of a file section, memory-mapped read-only. A single mapping is limited to 2 GiB, so the section
 * is mapped in chunks of whole records.
 */
final class MappedRecords {
    private final int recordBytes;
    private final int recordsPerChunk;
    private final List<MappedByteBuffer> chunks = new ArrayList<>();

    MappedRecords(FileChannel channel, long offset, int recordBytes, int count) throws IOException {
        this.recordBytes = recordBytes;
        this.recordsPerChunk = Integer.MAX_VALUE / Math.max(1, recordBytes);
        for (int first = 0; first < count; first += recordsPerChunk) {
            int n = Math.min(recordsPerChunk, count - first);
            chunks.add(channel.map(FileChannel.MapMode.READ_ONLY, offset + (long) first * recordBytes,
                    (long) n * recordBytes));
        }
    }

    /** Copies record {@code index} into {@code into} at its current position. */
    void copy(int index, ByteBuffer into) {
        ByteBuffer chunk = chunks.get(index / recordsPerChunk).duplicate();
        int start = (index % recordsPerChunk) * recordBytes;
        chunk.limit(start + recordBytes).position(start);
        into.put(chunk);
    }
}
