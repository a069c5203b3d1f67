//! Character sets and text limits without a product.

use crate::personalize::limits::{
    CharSet, CharSetError, HARD_MAX_LENGTH, LimitError, check_color, check_range, check_text,
    grapheme_count,
};

#[test]
fn char_sets_ranges_classes_and_escapes() {
    let s = CharSet::parse("A-Z0-9 .'-").unwrap();
    for c in ['A', 'Q', 'Z', '0', '9', ' ', '.', '\'', '-'] {
        assert!(s.contains(c), "{c:?}");
    }
    for c in ['a', 'é', '!', '/'] {
        assert!(!s.contains(c), "{c:?}");
    }
    let s = CharSet::parse(r"{letters}\-\\").unwrap();
    for c in ['a', 'Ж', 'م', 'न', '李', '-', '\\'] {
        assert!(s.contains(c), "{c:?}");
    }
    assert!(!s.contains('3'));
    let s = CharSet::parse("{digits}{punctuation}{emoji}").unwrap();
    assert!(s.contains('7') && s.contains('!') && s.contains('😀') && !s.contains('x'));
    assert_eq!(
        CharSet::parse("Z-A"),
        Err(CharSetError::Backwards { from: 'Z', to: 'A' })
    );
    assert!(
        matches!(CharSet::parse("{latin}"), Err(CharSetError::UnknownClass(c)) if c == "latin")
    );
    assert_eq!(CharSet::parse(""), Err(CharSetError::Empty));
}

#[test]
fn text_limits_count_graphemes() {
    // e + combining acute is one character; a family emoji (ZWJ sequence) is one.
    assert_eq!(grapheme_count("Ame\u{301}lie"), 6);
    assert_eq!(grapheme_count("👨\u{200d}👩\u{200d}👧"), 1);
    let letters = CharSet::parse("{letters} ").unwrap();
    assert!(check_text("Ame\u{301}lie", Some(6), 1, Some(&letters)).is_ok());
    assert!(check_text("अनन्या", Some(6), 1, Some(&letters)).is_ok());
    assert_eq!(
        check_text("Anna!", None, 1, Some(&letters)),
        Err(LimitError::CharsNotAllowed {
            chars: "!".into(),
            allowed: "{letters} ".into()
        })
    );
    let e = check_text(&"x".repeat(HARD_MAX_LENGTH + 1), None, 1, None).unwrap_err();
    assert_eq!(e.limit(), "max_length");
    assert_eq!(
        check_text("a\u{7}", None, 1, None),
        Err(LimitError::ControlChar { code: 7 })
    );
    assert_eq!(
        check_text("a\nb", None, 1, None),
        Err(LimitError::TooManyLines { lines: 2, max: 1 })
    );
    assert!(
        check_text("a\nb", Some(2), 2, None).is_ok(),
        "line breaks do not count"
    );
    assert_eq!(
        check_color("colour", "#FFF", &["#ffffff".into()]),
        Ok("#ffffff".into())
    );
    assert!(
        check_color("colour", "#fff", &["#000000".into()])
            .unwrap_err()
            .to_string()
            .contains("(colors)")
    );
    assert!(
        check_range("scale", 1.3, [0.8, 1.2], "adjust.scale")
            .unwrap_err()
            .to_string()
            .contains("adjust.scale")
    );
    assert!(check_range("scale", f32::NAN, [0.8, 1.2], "adjust.scale").is_err());
}
