package dev.pyper.examples;

import java.io.Serializable;

/**
 * One file of a corpus with its text: what the read task passes on.
 *
 * @param file the file
 * @param text its contents, decoded as UTF-8
 */
public record SourceText(SourceFile file, String text) implements Serializable {}
