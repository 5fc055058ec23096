package dev.pyper.examples;

import static dev.pyper.Task.branch;
import static dev.pyper.Task.join;
import static dev.pyper.Task.named;
import static dev.pyper.Task.task;
import static dev.pyper.Task.workers;

import dev.pyper.Pipeline;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline behind {@link ScoringService}: a text's words, each scored with Scrabble's letter
 * values, summed up. Its functions log through SLF4J as any code does, and know nothing of the
 * request: the request's id (MDC) and its trace (OpenTelemetry) reach them through
 * {@code pyper-context}, on whatever thread or worker JVM runs them.
 */
public final class Scoring {

    private static final Logger LOG = LoggerFactory.getLogger(Scoring.class);

    /** Scrabble's letter values, a to z. */
    private static final int[] LETTER_POINTS = {
        1, 3, 3, 2, 1, 4, 2, 4, 1, 8, 5, 1, 3, 1, 1, 3, 10, 1, 1, 1, 1, 4, 4, 8, 4, 10
    };

    private Scoring() {}

    /**
     * One word's score.
     *
     * @param word the word
     * @param points the sum of its letters' values (other characters count nothing)
     */
    public record Points(String word, int points) implements Serializable {}

    /**
     * A text's score.
     *
     * @param words how many words
     * @param points the sum of their points
     * @param best the word of most points (the first of them), empty for no words
     */
    public record Total(int words, int points, String best) implements Serializable {}

    /**
     * The text's words: lower-cased, split at white space.
     *
     * @param text the text
     * @return its words
     */
    static List<String> tokenize(String text) {
        List<String> words = words(text);
        LOG.info("tokenized {} words", words.size());
        return words;
    }

    /**
     * A text's words, lower-cased: what {@link #tokenize} gives, without its log line.
     *
     * @param text the text
     * @return its words
     */
    static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("\\s+"))
                .filter(w -> !w.isEmpty())
                .toList();
    }

    /**
     * Scores a word.
     *
     * @param word the word
     * @return its points
     */
    static Points score(String word) {
        int points = word.chars()
                .filter(c -> c >= 'a' && c <= 'z')
                .map(c -> LETTER_POINTS[c - 'a'])
                .sum();
        LOG.info("scored '{}': {} points", word, points);
        return new Points(word, points);
    }

    /**
     * Sums the scores up.
     *
     * @param scored the words' points
     * @return the total
     */
    static Total total(Stream<Points> scored) {
        List<Points> all = scored.toList();
        int points = all.stream().mapToInt(Points::points).sum();
        String best = all.stream()
                .max(Comparator.comparingInt(Points::points))
                .map(Points::word)
                .orElse("");
        LOG.info("total {} points for {} words", points, all.size());
        return new Total(all.size(), points, best);
    }

    /**
     * The pipeline: {@code tokenize} (one text, many words), {@code score} ({@code workers} at
     * once), {@code total} (a join: one total per text).
     *
     * @param workers workers of the score task
     * @return the pipeline, one {@link Total} per text
     */
    static Pipeline<String, Total> pipeline(int workers) {
        Pipeline<String, String> words = branch(Scoring::tokenize, named("tokenize"));
        Pipeline<String, Points> scores = task(Scoring::score, named("score"), workers(workers));
        Pipeline<Points, Total> total = join(Scoring::total, named("total"));
        return Pipeline.of(words, scores, total);
    }
}
