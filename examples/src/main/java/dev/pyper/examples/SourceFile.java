package dev.pyper.examples;

import java.io.Serializable;

/**
 * One file of a corpus, named but not yet read: what the producer passes on.
 *
 * @param module the module that the file counts towards (see {@link Corpus#moduleOf})
 * @param path the file's path inside the corpus, with {@code /} as separator
 */
public record SourceFile(String module, String path) implements Serializable {}
