//! Text files as offices save them: Excel on Chinese Windows writes "CSV" as
//! GBK, "Unicode text" as UTF-16 (with a byte-order mark), and other programs
//! UTF-8 with or without one. The encoding is recognised, never assumed: a
//! file that is none of these is refused rather than stored garbled.
use encoding_rs::{BIG5, Encoding, GB18030, GBK, UTF_16BE, UTF_16LE};

#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's WHATWG name ("UTF-8", "GBK", …).
    pub encoding: &'static str,
}

/// The file's text, or `None` when it is in no encoding we can be sure of.
pub fn decode(bytes: &[u8]) -> Option<Decoded> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        return whole(encoding, &bytes[bom_length..]);
    }
    // First: ASCII in UTF-16 is also valid UTF-8 (with a NUL after every letter).
    if let Some(encoding) = utf16_without_bom(bytes) {
        return whole(encoding, bytes);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny);
    // Only the Chinese encodings are taken on a guess: a Latin one decodes any
    // bytes at all, so a wrong guess would store garbage without a word.
    if guess == GBK || guess == GB18030 || guess == BIG5 {
        whole(guess, bytes)
    } else {
        None
    }
}

fn whole(encoding: &'static Encoding, bytes: &[u8]) -> Option<Decoded> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
        })
}

/// UTF-16 without a byte-order mark shows as a zero byte beside every ASCII
/// character (headers, digits, commas).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_at = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 3 > pairs * 2 && even == 0 {
        Some(UTF_16LE)
    } else if even * 3 > pairs * 2 && odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "资产编号,名称,类别,部门\nEQ-1,联想笔记本电脑,笔记本电脑,研发中心\n";

    fn encoded(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        encoding.encode(text).0.into_owned()
    }

    #[test]
    fn utf8_with_or_without_a_bom() {
        let plain = decode(HEADER.as_bytes()).expect("utf-8");
        assert_eq!((plain.text.as_str(), plain.encoding), (HEADER, "UTF-8"));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), HEADER.as_bytes()].concat();
        assert_eq!(decode(&with_bom).expect("bom").text, HEADER);
    }

    #[test]
    fn gbk_as_chinese_excel_saves_it() {
        let bytes = encoded(GBK, HEADER);
        assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
        let decoded = decode(&bytes).expect("gbk");
        assert_eq!(decoded.text, HEADER);
        assert_eq!(decoded.encoding, "GBK");
    }

    #[test]
    fn utf16_with_and_without_a_bom() {
        let le: Vec<u8> = HEADER.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = HEADER.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le_bom = [b"\xFF\xFE".as_slice(), &le].concat();
        let be_bom = [b"\xFE\xFF".as_slice(), &be].concat();
        assert_eq!(decode(&le_bom).expect("le bom").text, HEADER);
        assert_eq!(decode(&be_bom).expect("be bom").text, HEADER);
        let ascii = "asset_code,name,category,department\nEQ-1,Laptop,LAPTOP,HQ\n";
        let le: Vec<u8> = ascii.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le).expect("le").text, ascii);
    }

    #[test]
    fn bytes_in_no_known_encoding_are_refused() {
        // Latin-1 "café" with stray control bytes: not UTF-8, not Chinese.
        let bytes = b"name\ncaf\xe9 \x81\x81\x81\xff\xfe\xfd".to_vec();
        assert_eq!(decode(&bytes), None);
    }
}
