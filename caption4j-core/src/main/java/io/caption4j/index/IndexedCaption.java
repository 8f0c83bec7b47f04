package io.caption4j.index;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A caption as an index entry.
 *
 * @param text    the caption
 * @param imageId the image it describes, as its caption file names it; null for a plain list of texts
 * @param image   that image's file; null when not known
 * @param source  the collection it comes from (its file, absolute): re-indexing a source replaces its captions
 */
public record IndexedCaption(String text, String imageId, Path image, String source) {

    /**
     * The entry's key: the same caption of the same image from the same source is one entry, so an unchanged
     * caption is not embedded again on a re-run (and a caption repeated in one file is indexed once).
     */
    public String key() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {source, imageId == null ? "" : imageId, text}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
