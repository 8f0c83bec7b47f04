package io.caption4j.data;

/** One caption as a caption file states it, before images are checked: the image as written and where it was. */
record RawCaption(String image, String caption, long line) {}
