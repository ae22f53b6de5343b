package org.countersign.authenticator.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code scan --screen --region x,y,w,h}: what is read, and what is refused with which sentence. */
class ScreenRegionTest {
    @Test
    void fourNumbersAreXYWidthAndHeight() {
        assertThat(ScreenRegion.parse("10,20,800,600")).isEqualTo(new ScreenRegion(10, 20, 800, 600));
    }

    @Test
    void spacesAroundTheNumbersAreAllowed() {
        assertThat(ScreenRegion.parse(" 10 , 20,\t800 ,600 ")).isEqualTo(new ScreenRegion(10, 20, 800, 600));
    }

    @Test
    void aScreenLeftOfOrAboveThePrimaryOneHasNegativeCoordinates() {
        assertThat(ScreenRegion.parse("-1920,-50,1920,1080")).isEqualTo(new ScreenRegion(-1920, -50, 1920, 1080));
    }

    @ParameterizedTest(name = "\"{0}\" is not four numbers")
    @NullAndEmptySource
    @ValueSource(strings = {"800x600", "0,0,800", "0,0,800,600,1", "0,0,800,600,", ",0,0,800,600", ",,,,"})
    void anythingButFourCommaSeparatedPartsShowsTheExpectedForm(String text) {
        assertThatThrownBy(() -> ScreenRegion.parse(text)).isInstanceOf(ScanException.class)
                .hasMessage("A screen region is x,y,width,height (for example 0,0,800,600).");
    }

    @ParameterizedTest(name = "\"{0}\": ''{1}'' is named")
    @CsvSource(delimiter = '|', value = {
        "a,0,800,600 | a",
        "0,0,80.5,600 | 80.5",
        "0,0,+800,600 | +800",
        "0,0,800,1e3 | 1e3",
        "0,0,٨٠٠,600 | ٨٠٠",
        "0, ,800,600 | ''",
        ",,, | ''",
    })
    void aPartThatIsNotAWholeNumberIsNamed(String text, String part) {
        assertThatThrownBy(() -> ScreenRegion.parse(text)).isInstanceOf(ScanException.class)
                .hasMessage("A screen region is four whole numbers x,y,width,height; '" + part + "' is not one.");
    }

    @Test
    void aNumberBeyondAnyScreenIsRefused() {
        assertThatThrownBy(() -> ScreenRegion.parse("0,0,99999999999,600")).isInstanceOf(ScanException.class)
                .hasMessageContaining("'99999999999' is far too large");
        assertThatThrownBy(() -> ScreenRegion.parse("2147483000,0,1000,600")).isInstanceOf(ScanException.class)
                .hasMessageContaining("must end within");
    }

    @ParameterizedTest(name = "\"{0}\" has no area")
    @ValueSource(strings = {"0,0,0,600", "0,0,800,0", "0,0,-800,600"})
    void anEmptyOrNegativeSizeIsRefused(String text) {
        assertThatThrownBy(() -> ScreenRegion.parse(text)).isInstanceOf(ScanException.class)
                .hasMessage("A screen region needs a width and a height of at least 1 pixel.");
    }

    @Test
    void aControlCharacterInTheInputIsNotEchoed() {
        assertThatThrownBy(() -> ScreenRegion.parse("0,0,8\u001b[2J,600")).hasMessageContaining("'8?[2J'");
    }
}
