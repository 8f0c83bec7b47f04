package io.caption4j.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Words and their 1..4-grams as dense integer ids, so the metrics compare ints instead of tuples of strings. One
 * instance numbers every caption of one evaluation; it is not thread-safe and is filled before scoring starts.
 */
final class NGrams {
    static final int MAX_ORDER = 4;

    private final Map<String, Integer> words = new HashMap<>();
    /** (prefix gram id, next word id) → gram id, for 2..4-grams. */
    private final LongIntMap grams = new LongIntMap();
    private int[] unigramOfWord = new int[0];
    private int[] orderOfGram = new int[1024];
    private int gramCount;

    /** The 1..4-gram counts of one caption: distinct gram ids ascending, with their counts. */
    record Counts(int length, int[] grams, int[] counts) {
        /** How often gram occurs in this caption (0 if not). */
        int count(int gram) {
            int i = Arrays.binarySearch(grams, gram);
            return i >= 0 ? counts[i] : 0;
        }
    }

    int wordId(String word) {
        Integer id = words.get(word);
        if (id == null) {
            id = words.size();
            words.put(word, id);
        }
        return id;
    }

    int[] wordIds(List<String> tokens) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = wordId(tokens.get(i));
        }
        return ids;
    }

    /** 1 for unigrams .. 4 for 4-grams. */
    int order(int gram) {
        return orderOfGram[gram];
    }

    int gramCount() {
        return gramCount;
    }

    /** The ids of all 1..4-grams of a sentence, with repeats, numbering new grams as they come. */
    int[] gramIds(int[] sentence) {
        int n = sentence.length;
        int[] all = new int[gramsIn(n)];
        int size = 0;
        int[] previous = new int[n]; // gram ids of order k-1 starting at each position
        for (int k = 1; k <= MAX_ORDER; k++) {
            for (int i = 0; i + k <= n; i++) {
                int gram = k == 1 ? unigramId(sentence[i]) : gramId(previous[i], sentence[i + k - 1], k);
                previous[i] = gram;
                all[size++] = gram;
            }
        }
        return all;
    }

    /** Counts the grams of one sentence of {@code length} words from its {@link #gramIds}; thread-safe. */
    static Counts counts(int length, int[] gramIds) {
        int[] all = gramIds.clone();
        Arrays.sort(all);
        int distinct = 0;
        int[] ids = new int[all.length];
        int[] counts = new int[all.length];
        for (int gram : all) {
            if (distinct > 0 && ids[distinct - 1] == gram) {
                counts[distinct - 1]++;
            } else {
                ids[distinct] = gram;
                counts[distinct++] = 1;
            }
        }
        return new Counts(length, Arrays.copyOf(ids, distinct), Arrays.copyOf(counts, distinct));
    }

    private static int gramsIn(int words) {
        int total = 0;
        for (int k = 1; k <= MAX_ORDER; k++) {
            total += Math.max(0, words - k + 1);
        }
        return total;
    }

    /** Unigrams skip the hash map: their ids sit in an array indexed by word id. */
    private int unigramId(int word) {
        if (word >= unigramOfWord.length) {
            int old = unigramOfWord.length;
            unigramOfWord = Arrays.copyOf(unigramOfWord, Math.max(2 * old, word + 1));
            Arrays.fill(unigramOfWord, old, unigramOfWord.length, -1);
        }
        if (unigramOfWord[word] < 0) {
            unigramOfWord[word] = newGram(1);
        }
        return unigramOfWord[word];
    }

    private int gramId(int prefix, int word, int order) {
        long key = ((long) prefix << 32) | (word & 0xFFFFFFFFL);
        int id = grams.get(key);
        if (id < 0) {
            id = newGram(order);
            grams.put(key, id);
        }
        return id;
    }

    private int newGram(int order) {
        int id = gramCount++;
        if (id == orderOfGram.length) {
            orderOfGram = Arrays.copyOf(orderOfGram, id * 2);
        }
        orderOfGram[id] = order;
        return id;
    }

    /**
     * Open-addressing long → int map for millions of n-gram look-ups without boxing; key and value share one array
     * so that a probe costs one cache miss. Keys are never {@link Long#MIN_VALUE} (prefix ≥ 0), which marks a free
     * slot.
     */
    private static final class LongIntMap {
        private static final long FREE = Long.MIN_VALUE;
        private long[] slots = newSlots(1 << 16); // key at 2i, value at 2i + 1
        private int size;

        private static long[] newSlots(int capacity) {
            long[] slots = new long[2 * capacity];
            for (int i = 0; i < slots.length; i += 2) {
                slots[i] = FREE;
            }
            return slots;
        }

        int get(long key) {
            int mask = slots.length / 2 - 1;
            for (int i = slot(key, mask); slots[2 * i] != FREE; i = (i + 1) & mask) {
                if (slots[2 * i] == key) {
                    return (int) slots[2 * i + 1];
                }
            }
            return -1;
        }

        /** Adds a key that is not in the map. */
        void put(long key, int value) {
            if (4 * (size + 1) > slots.length) {
                grow();
            }
            int mask = slots.length / 2 - 1;
            int i = slot(key, mask);
            while (slots[2 * i] != FREE) {
                i = (i + 1) & mask;
            }
            slots[2 * i] = key;
            slots[2 * i + 1] = value;
            size++;
        }

        private void grow() {
            long[] old = slots;
            slots = newSlots(old.length);
            size = 0;
            for (int i = 0; i < old.length; i += 2) {
                if (old[i] != FREE) {
                    put(old[i], (int) old[i + 1]);
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }
    }
}
