package org.wishengine.wish.auth;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.math.BigInteger;

/**
 * The value of the member a {@link SegmentReader} is handing over, read the way Jackson's parser
 * reads its current token (the methods have its names), whichever reader found it: Jackson's, or
 * {@link FlatSegment} for the plain objects tokens usually are. Valid until the next member.
 */
interface SegmentValue {

    /** A string value's text. */
    String getText() throws IOException;

    /** A string value's characters, in a buffer the reader owns, from {@link #getTextOffset()}. */
    char[] getTextCharacters() throws IOException;

    int getTextOffset() throws IOException;

    int getTextLength() throws IOException;

    /** An integer value's size: {@code BIG_INTEGER} when it does not fit in a long. */
    JsonParser.NumberType getNumberType() throws IOException;

    long getLongValue() throws IOException;

    BigInteger getBigIntegerValue() throws IOException;

    /** A value with a fraction or an exponent. */
    double getDoubleValue() throws IOException;

    /** Jackson's parser as a {@link SegmentValue}: it is its current token. */
    final class OfParser implements SegmentValue {
        JsonParser parser;

        @Override
        public String getText() throws IOException {
            return parser.getText();
        }

        @Override
        public char[] getTextCharacters() throws IOException {
            return parser.getTextCharacters();
        }

        @Override
        public int getTextOffset() throws IOException {
            return parser.getTextOffset();
        }

        @Override
        public int getTextLength() throws IOException {
            return parser.getTextLength();
        }

        @Override
        public JsonParser.NumberType getNumberType() throws IOException {
            return parser.getNumberType();
        }

        @Override
        public long getLongValue() throws IOException {
            return parser.getLongValue();
        }

        @Override
        public BigInteger getBigIntegerValue() throws IOException {
            return parser.getBigIntegerValue();
        }

        @Override
        public double getDoubleValue() throws IOException {
            return parser.getDoubleValue();
        }
    }
}
