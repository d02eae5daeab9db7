package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DrawSeedTest {

    @Test
    void shouldComputeHmacSha256AsRfc4231TestCase2() {
        // RFC 4231, 4.3: key "Jefe", data "what do ya want for nothing?".
        byte[] mac = DrawHash.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", DrawHash.HEX.formatHex(mac));
    }

    @Test
    void shouldComputeSha256AsFips180Example() {
        // FIPS 180-2, appendix B.1: "abc".
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                DrawHash.HEX.formatHex(DrawHash.sha256("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void shouldCommitToTheSha256OfTheSeedBytes() {
        // Also computed with Python's hashlib, independently of this code.
        assertEquals("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd",
                DrawFixtures.COUNTING_SEED.commitment());
    }

    @Test
    void shouldReadBackItsHexInEitherCase() {
        DrawSeed seed = DrawFixtures.COUNTING_SEED;
        assertEquals("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", seed.hex());
        assertEquals(seed, DrawSeed.parse(seed.hex()));
        assertEquals(seed, DrawSeed.parse(seed.hex().toUpperCase()));
        assertEquals(seed.hashCode(), DrawSeed.parse(seed.hex()).hashCode());
    }

    @Test
    void shouldRefuseWhatIsNotThirtyTwoBytes() {
        for (String hex : new String[] {null, "", "00", "0".repeat(63), "0".repeat(65), "g".repeat(64),
                "0".repeat(62) + " 0"}) {
            assertThrows(IllegalArgumentException.class, () -> DrawSeed.parse(hex), String.valueOf(hex));
        }
        assertThrows(IllegalArgumentException.class, () -> DrawSeed.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> DrawSeed.of(new byte[33]));
    }

    @Test
    void shouldNeverShowTheSeedInToString() {
        DrawSeed seed = DrawFixtures.COUNTING_SEED;
        assertFalse(seed.toString().contains(seed.hex()));
        assertFalse(seed.toString().toLowerCase().contains("0102030405"));
        assertEquals("DrawSeed[commitment=" + seed.commitment() + "]", seed.toString());
    }

    @Test
    void shouldNotChangeWhenTheBytesItWasMadeOfOrGaveOutChange() {
        byte[] bytes = DrawFixtures.COUNTING_SEED.bytes();
        DrawSeed seed = DrawSeed.of(bytes);
        bytes[0] = 99;
        seed.bytes()[1] = 99;
        assertEquals(DrawFixtures.COUNTING_SEED, seed);
    }

    @Test
    void shouldTakeItsBytesFromTheSource() {
        DrawSeed first = DrawSeed.generate(DrawFixtures.fixedSource(5));
        assertEquals(first, DrawSeed.generate(DrawFixtures.fixedSource(5)));
        assertArrayEquals(new byte[DrawSeed.LENGTH], DrawSeed.generate(bytes -> { }).bytes());
        SeedSource secure = SeedSource.secure();
        assertNotEquals(DrawSeed.generate(secure), DrawSeed.generate(secure));
    }
}
