//! Unit tests of the XTS layer: IEEE 1619-2007 known answers, geometry errors, and a
//! byte-for-byte comparison with the `xts-mode` crate (an independent implementation).

use super::*;
use aes::{Aes128, Aes256};
use cipher::KeyInit;
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn hex_lines(parts: &[&str]) -> Vec<u8> {
    hex(&parts.concat())
}

/// IEEE 1619-2007 Annex B, XTS-AES-256 vectors 10-14: keys and plaintext.
const V10_14_KEY1: &str = "2718281828459045235360287471352662497757247093699959574966967627";
const V10_14_KEY2: &str = "3141592653589793238462643383279502884197169399375105820974944592";

fn v10_14_plaintext() -> Vec<u8> {
    (0..512).map(|i| (i % 256) as u8).collect()
}

fn v10_14_key() -> Vec<u8> {
    let mut key = hex(V10_14_KEY1);
    key.extend(hex(V10_14_KEY2));
    key
}

/// The backends to test: the one [`BACKEND_ENV`] names (which must be supported), else every
/// backend this CPU supports. Printed once per call, so `--nocapture` shows what ran.
fn backends_under_test() -> Vec<Backend> {
    match Backend::from_env() {
        Some(b) => {
            assert!(b.is_supported(), "{BACKEND_ENV}={b}: not supported by this CPU");
            vec![b]
        }
        None => Backend::available().collect(),
    }
}

/// One [`XtsAes`] per backend under test, named; for each SIMD backend also one forced to the
/// other flavour of tweak arithmetic (clmul or shifts: the dispatch picks one per CPU vendor),
/// and for `aesni` one forced to the legacy SSE encoding of its kernel, which the dispatch picks
/// only on CPUs without AVX (so never on the machines that run these tests).
fn instances_under_test(key: &[u8]) -> Vec<(String, XtsAes)> {
    let mut out = Vec::new();
    for backend in backends_under_test() {
        let xts = XtsAes::with_backend(key, backend).unwrap();
        assert_eq!(xts.backend(), backend);
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        if let Some(simd) = xts.simd.as_deref() {
            // The other flavour of tweak arithmetic (the dispatch picks one per CPU vendor).
            let clmul = simd.runs_clmul();
            let mut other = XtsAes::with_backend(key, backend).unwrap();
            let forced = other.simd.as_deref_mut().expect("a SIMD backend");
            forced.force_clmul(!clmul);
            if forced.runs_clmul() != clmul {
                let flavour = if clmul { "shift" } else { "clmul" };
                out.push((format!("{} ({flavour} tweaks)", backend.name()), other));
            }
        }
        out.push((backend.name().to_owned(), xts));
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        if backend == Backend::Aesni {
            let mut sse = XtsAes::with_backend(key, backend).unwrap();
            sse.simd.as_deref_mut().expect("a SIMD backend").force_legacy_sse();
            out.push(("aesni (legacy SSE encoding)".to_owned(), sse));
        }
    }
    out
}

/// Checks one known answer on every backend under test: the multi-unit path (as one unit, and
/// via `encrypt_units` with step 1) and the single data-unit path.
fn check_vector(key: &[u8], dusn: u64, pt: &[u8], ct: &[u8]) {
    for (backend, xts) in instances_under_test(key) {
        let mut buf = pt.to_vec();
        xts.encrypt_sectors(&mut buf, pt.len(), dusn).unwrap();
        assert_eq!(buf, ct, "{backend} encrypt_sectors, DUSN {dusn:#x}");
        xts.decrypt_sectors(&mut buf, pt.len(), dusn).unwrap();
        assert_eq!(buf, pt, "{backend} decrypt_sectors, DUSN {dusn:#x}");
        xts.encrypt_units(&mut buf, pt.len(), dusn, 1).unwrap();
        assert_eq!(buf, ct, "{backend} encrypt_units, DUSN {dusn:#x}");
    }
    let xts = XtsAes::new(key).unwrap();
    // ...and the single data-unit path.
    let mut buf = pt.to_vec();
    xts.encrypt_data_unit(&mut buf, u128::from(dusn)).unwrap();
    assert_eq!(buf, ct, "encrypt_data_unit, DUSN {dusn:#x}");
    xts.decrypt_data_unit(&mut buf, u128::from(dusn)).unwrap();
    assert_eq!(buf, pt, "decrypt_data_unit, DUSN {dusn:#x}");
}

/// IEEE 1619-2007 Annex B vector 10 (DUSN 0xff). Full ciphertext computed with Python
/// `cryptography` 48.0.0 (OpenSSL backend) on 2026-11-24; identical to the transcription in
/// jakcron/libtoolchain `test/crypto_Aes256XtsEncryptor_TestClass.cpp`; its first 32 bytes match
/// the published checkpoint `1c3b3a10…14a3e63b` (performance.md §12, toolchain.md §7.1).
const V10_CT: &[&str] = &[
    "1c3b3a102f770386e4836c99e370cf9bea00803f5e482357a4ae12d414a3e63b",
    "5d31e276f8fe4a8d66b317f9ac683f44680a86ac35adfc3345befecb4bb188fd",
    "5776926c49a3095eb108fd1098baec70aaa66999a72a82f27d848b21d4a741b0",
    "c5cd4d5fff9dac89aeba122961d03a757123e9870f8acf1000020887891429ca",
    "2a3e7a7d7df7b10355165c8b9a6d0a7de8b062c4500dc4cd120c0f7418dae3d0",
    "b5781c34803fa75421c790dfe1de1834f280d7667b327f6c8cd7557e12ac3a0f",
    "93ec05c52e0493ef31a12d3d9260f79a289d6a379bc70c50841473d1a8cc81ec",
    "583e9645e07b8d9670655ba5bbcfecc6dc3966380ad8fecb17b6ba02469a020a",
    "84e18e8f84252070c13e9f1f289be54fbc481457778f616015e1327a02b140f1",
    "505eb309326d68378f8374595c849d84f4c333ec4423885143cb47bd71c5edae",
    "9be69a2ffeceb1bec9de244fbe15992b11b77c040f12bd8f6a975a44a0f90c29",
    "a9abc3d4d893927284c58754cce294529f8614dcd2aba991925fedc4ae74ffac",
    "6e333b93eb4aff0479da9a410e4450e0dd7ae4c6e2910900575da401fc07059f",
    "645e8b7e9bfdef33943054ff84011493c27b3429eaedb4ed5376441a77ed4385",
    "1ad77f16f541dfd269d50d6a5f14fb0aab1cbb4c1550be97f7ab4066193c4caa",
    "773dad38014bd2092fa755c824bb5e54c4f36ffda9fcea70b9c6e693e148c151",
];

/// IEEE 1619-2007 Annex B vector 11 (DUSN 0xffff). Full ciphertext computed with Python
/// `cryptography` 48.0.0 (OpenSSL backend) on 2026-11-24; identical to the transcription in
/// jakcron/libtoolchain `test/crypto_Aes256XtsEncryptor_TestClass.cpp` (performance.md §12).
/// The published first 32 bytes (`77a31251618a15e6b92d1d66dffe7b50b50bad552305ba0217a610688eff7e11`) are checked separately.
const V11_CT: &[&str] = &[
    "77a31251618a15e6b92d1d66dffe7b50b50bad552305ba0217a610688eff7e11",
    "e1d0225438e093242d6db274fde801d4cae06f2092c728b2478559df58e837c2",
    "469ee4a4fa794e4bbc7f39bc026e3cb72c33b0888f25b4acf56a2a9804f1ce6d",
    "3d6e1dc6ca181d4b546179d55544aa7760c40d06741539c7e3cd9d2f6650b201",
    "3fd0eeb8c2b8e3d8d240ccae2d4c98320a7442e1c8d75a42d6e6cfa4c2eca179",
    "8d158c7aecdf82490f24bb9b38e108bcda12c3faf9a21141c3613b58367f922a",
    "aa26cd22f23d708dae699ad7cb40a8ad0b6e2784973dcb605684c08b8d6998c6",
    "9aac049921871ebb65301a4619ca80ecb485a31d744223ce8ddc2394828d6a80",
    "470c092f5ba413c3378fa6054255c6f9df4495862bbb3287681f931b687c888a",
    "bf844dfc8fc28331e579928cd12bd2390ae123cf03818d14dedde5c0c24c8ab0",
    "18bfca75ca096f2d531f3d1619e785f1ada437cab92e980558b3dce1474afb75",
    "bfedbf8ff54cb2618e0244c9ac0d3c66fb51598cd2db11f9be39791abe447c63",
    "094f7c453b7ff87cb5bb36b7c79efb0872d17058b83b15ab0866ad8a58656c5a",
    "7e20dbdf308b2461d97c0ec0024a2715055249cf3b478ddd4740de654f75ca68",
    "6e0d7345c69ed50cdc2a8b332b1f8824108ac937eb050585608ee734097fc090",
    "54fbff89eeaeea791f4a7ab1f9868294a4f9e27b42af8100cb9d59cef9645803",
];

/// IEEE 1619-2007 Annex B vector 12 (DUSN 0xffffff). Full ciphertext computed with Python
/// `cryptography` 48.0.0 (OpenSSL backend) on 2026-11-24; identical to the transcription in
/// jakcron/libtoolchain `test/crypto_Aes256XtsEncryptor_TestClass.cpp` (performance.md §12).
/// The published first 32 bytes (`e387aaa58ba483afa7e8eb469778317ecf4cf573aa9d4eac23f2cdf914e4e200`) are checked separately.
const V12_CT: &[&str] = &[
    "e387aaa58ba483afa7e8eb469778317ecf4cf573aa9d4eac23f2cdf914e4e200",
    "a8b490e42ee646802dc6ee2b471b278195d60918ececb44bf79966f83faba049",
    "9298ebc699c0c8634715a320bb4f075d622e74c8c932004f25b41e361025b5a8",
    "7815391f6108fc4afa6a05d9303c6ba68a128a55705d415985832fdeaae6c8e1",
    "9110e84d1b1f199a2692119edc96132658f09da7c623efcec712537a3d94c0bf",
    "5d7e352ec94ae5797fdb377dc1551150721adf15bd26a8efc2fcaad56881fa9e",
    "62462c28f30ae1ceaca93c345cf243b73f542e2074a705bd2643bb9f7cc79bb6",
    "e7091ea6e232df0f9ad0d6cf502327876d82207abf2115cdacf6d5a48f6c1879",
    "a65b115f0f8b3cb3c59d15dd8c769bc014795a1837f3901b5845eb491adfefe0",
    "97b1fa30a12fc1f65ba22905031539971a10f2f36c321bb51331cdefb39e3964",
    "c7ef079994f5b69b2edd83a71ef549971ee93f44eac3938fcdd61d01fa71799d",
    "a3a8091c4c48aa9ed263ff0749df95d44fef6a0bb578ec69456aa5408ae32c7a",
    "f08ad7ba8921287e3bbee31b767be06a0e705c864a769137df28292283ea81a2",
    "480241b44d9921cdbec1bc28dc1fda114bd8e5217ac9d8ebafa720e9da4f9ace",
    "231cc949e5b96fe76ffc21063fddc83a6b8679c00d35e09576a875305bed5f36",
    "ed242c8900dd1fa965bc950dfce09b132263a1eef52dd6888c309f5a7d712826",
];

/// IEEE 1619-2007 Annex B vector 13 (DUSN 0xffffffff). Full ciphertext computed with Python
/// `cryptography` 48.0.0 (OpenSSL backend) on 2026-11-24; identical to the transcription in
/// jakcron/libtoolchain `test/crypto_Aes256XtsEncryptor_TestClass.cpp` (performance.md §12).
/// The published first 32 bytes (`bf53d2dade78e822a4d949a9bc6766b01b06a8ef70d26748c6a7fc36d80ae4c5`) are checked separately.
const V13_CT: &[&str] = &[
    "bf53d2dade78e822a4d949a9bc6766b01b06a8ef70d26748c6a7fc36d80ae4c5",
    "520f7c4ab0ac8544424fa405162fef5a6b7f229498063618d39f0003cb5fb8d1",
    "c86b643497da1ff945c8d3bedeca4f479702a7a735f043ddb1d6aaade3c4a0ac",
    "7ca7f3fa5279bef56f82cd7a2f38672e824814e10700300a055e1630b8f1cb0e",
    "919f5e942010a416e2bf48cb46993d3cb6a51c19bacf864785a00bc2ecff15d3",
    "50875b246ed53e68be6f55bd7e05cfc2b2ed6432198a6444b6d8c247fab941f5",
    "69768b5c429366f1d3f00f0345b96123d56204c01c63b22ce78baf116e525ed9",
    "0fdea39fa469494d3866c31e05f295ff21fea8d4e6e13d67e47ce722e9698a1c",
    "1048d68ebcde76b86fcf976eab8aa9790268b7068e017a8b9b749409514f1053",
    "027fd16c3786ea1bac5f15cb79711ee2abe82f5cf8b13ae73030ef5b9e4457e7",
    "5d1304f988d62dd6fc4b94ed38ba831da4b7634971b6cd8ec325d9c61c00f1df",
    "73627ed3745a5e8489f3a95c69639c32cd6e1d537a85f75cc844726e8a72fc00",
    "77ad22000f1d5078f6b866318c668f1ad03d5a5fced5219f2eabbd0aa5c0f460",
    "d183f04404a0d6f469558e81fab24a167905ab4c7878502ad3e38fdbe62a4155",
    "6cec37325759533ce8f25f367c87bb5578d667ae93f9e2fd99bcbc5f2fbba88c",
    "f6516139420fcff3b7361d86322c4bd84c82f335abb152c4a93411373aaa8220",
];

/// IEEE 1619-2007 Annex B vector 14 (DUSN 0xffffffffff). Full ciphertext computed with Python
/// `cryptography` 48.0.0 (OpenSSL backend) on 2026-11-24; identical to the transcription in
/// jakcron/libtoolchain `test/crypto_Aes256XtsEncryptor_TestClass.cpp` (performance.md §12).
/// The published first 32 bytes (`64497e5a831e4a932c09be3e5393376daa599548b816031d224bbf50a818ed23`) are checked separately.
const V14_CT: &[&str] = &[
    "64497e5a831e4a932c09be3e5393376daa599548b816031d224bbf50a818ed23",
    "50eae7e96087c8a0db51ad290bd00c1ac1620857635bf246c176ab463be30b80",
    "8da548081ac847b158e1264be25bb0910bbc92647108089415d45fab1b3d2604",
    "e8a8eff1ae4020cfa39936b66827b23f371b92200be90251e6d73c5f86de5fd4",
    "a950781933d79a28272b782a2ec313efdfcc0628f43d744c2dc2ff3dcb66999b",
    "50c7ca895b0c64791eeaa5f29499fb1c026f84ce5b5c72ba1083cddb5ce45434",
    "631665c333b60b11593fb253c5179a2c8db813782a004856a1653011e93fb6d8",
    "76c18366dd8683f53412c0c180f9c848592d593f8609ca736317d356e13e2bff",
    "3a9f59cd9aeb19cd482593d8c46128bb32423b37a9adfb482b99453fbe25a41b",
    "f6feb4aa0bef5ed24bf73c762978025482c13115e4015aac992e5613a3b5c2f6",
    "85b84795cb6e9b2656d8c88157e52c42f978d8634c43d06fea928f2822e465aa",
    "6576e9bf419384506cc3ce3c54ac1a6f67dc66f3b30191e698380bc999b05abc",
    "e19dc0c6dcc2dd001ec535ba18deb2df1a101023108318c75dc98611a09dc48a",
    "0acdec676fabdf222f07e026f059b672b56e5cbc8e1d21bbd867dd9272120546",
    "81d70ea737134cdfce93b6f82ae22423274e58a0821cc5502e2d0ab4585e94de",
    "6975be5e0b4efce51cd3e70c25a1fbbbd609d273ad5b0d59631c531f6a0a57b9",
];

/// The published 32-byte prefixes of vectors 10-14, as a cross-check of the computed
/// ciphertexts above (vector 10 from toolchain.md §7.1; 11-14 from the same libtoolchain file and,
/// for vector 11, also the FreeBSD/NetBSD-style `selftest_aes_xts_512_ctxt` tables).
const PUBLISHED_PREFIXES: [(u64, &str, &[&str]); 5] = [
    (
        0xff,
        "1c3b3a102f770386e4836c99e370cf9bea00803f5e482357a4ae12d414a3e63b",
        V10_CT,
    ),
    (
        0xffff,
        "77a31251618a15e6b92d1d66dffe7b50b50bad552305ba0217a610688eff7e11",
        V11_CT,
    ),
    (
        0xff_ffff,
        "e387aaa58ba483afa7e8eb469778317ecf4cf573aa9d4eac23f2cdf914e4e200",
        V12_CT,
    ),
    (
        0xffff_ffff,
        "bf53d2dade78e822a4d949a9bc6766b01b06a8ef70d26748c6a7fc36d80ae4c5",
        V13_CT,
    ),
    (
        0xff_ffff_ffff,
        "64497e5a831e4a932c09be3e5393376daa599548b816031d224bbf50a818ed23",
        V14_CT,
    ),
];

#[test]
fn ieee1619_vectors_10_to_14_xts_aes_256() {
    let key = v10_14_key();
    let pt = v10_14_plaintext();
    for (dusn, prefix, ct) in PUBLISHED_PREFIXES {
        let ct = hex_lines(ct);
        assert_eq!(ct.len(), 512);
        assert_eq!(&ct[..32], hex(prefix).as_slice(), "published prefix, DUSN {dusn:#x}");
        check_vector(&key, dusn, &pt, &ct);
    }
}

#[test]
fn ieee1619_vectors_10_to_14_match_xts_mode() {
    let xts = xts_mode::Xts128::new(
        Aes256::new_from_slice(&hex(V10_14_KEY1)).unwrap(),
        Aes256::new_from_slice(&hex(V10_14_KEY2)).unwrap(),
    );
    for (dusn, _, ct) in PUBLISHED_PREFIXES {
        let mut buf = v10_14_plaintext();
        xts.encrypt_sector(&mut buf, xts_mode::get_tweak_default(u128::from(dusn)));
        assert_eq!(buf, hex_lines(ct));
    }
}

/// IEEE 1619-2007 vector 1: key1 = key2 = 0 (XTS-AES-128), DUSN 0, 32 zero bytes. The equal
/// key halves are refused by [`XtsAes`], so this runs against the raw [`XtsCore`] layer.
/// Expected value: the full 32 bytes as published (toolchain.md §7.1), also what xts-mode gives.
#[test]
fn ieee1619_vector_1_equal_halves_on_raw_layer() {
    let zero = [0u8; 16];
    let raw = XtsCore::new(Aes128::new(&zero.into()), Aes128::new(&zero.into()));
    let ct = hex("917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e");
    let mut buf = [0u8; 32];
    raw.encrypt_data_unit(&mut buf, 0).unwrap();
    assert_eq!(buf.as_slice(), ct.as_slice());
    raw.decrypt_data_unit(&mut buf, 0).unwrap();
    assert_eq!(buf, [0u8; 32]);
    let mut buf = [0u8; 32];
    raw.encrypt_sectors(&mut buf, 32, 0).unwrap();
    assert_eq!(buf.as_slice(), ct.as_slice());
    // The checked layer refuses the same key.
    assert_eq!(XtsAes::new(&[0u8; 32]).err(), Some(XtsError::EqualKeyHalves));
}

/// IEEE 1619-2007 vectors 2, 3 (32 × 0x44, DUSN 0x3333333333) and 4 (00..ff twice, DUSN 0),
/// XTS-AES-128. Vectors 2 and 3: full ciphertexts as published (toolchain.md §7.1), re-computed
/// with Python `cryptography` 48.0.0. Vector 4: full ciphertext computed with Python
/// `cryptography` 48.0.0; its first 32 bytes match the published prefix `27a7479b…9616e89c`.
#[test]
fn ieee1619_vectors_2_3_4_xts_aes_128() {
    let k3 = "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0";
    let cases: [(String, u64, Vec<u8>, &str); 2] = [
        (
            format!("{}{}", "11".repeat(16), "22".repeat(16)),
            0x33_3333_3333,
            vec![0x44; 32],
            "c454185e6a16936e39334038acef838bfb186fff7480adc4289382ecd6d394f0",
        ),
        (
            format!("{}{}", k3, "22".repeat(16)),
            0x33_3333_3333,
            vec![0x44; 32],
            "af85336b597afc1a900b2eb21ec949d292df4c047e0b21532186a5971a227a89",
        ),
    ];
    for (key, dusn, pt, ct) in cases {
        check_vector(&hex(&key), dusn, &pt, &hex(ct));
    }
    let key = hex("2718281828459045235360287471352631415926535897932384626433832795");
    let ct = hex_lines(V4_CT);
    assert_eq!(
        &ct[..32],
        hex("27a7479befa1d476489f308cd4cfa6e2a96e4bbe3208ff25287dd3819616e89c").as_slice()
    );
    check_vector(&key, 0, &v10_14_plaintext(), &ct);
}

/// IEEE 1619-2007 vector 4 (XTS-AES-128, 512 bytes, DUSN 0): computed with Python
/// `cryptography` 48.0.0; prefix checked against the published value in the test above.
const V4_CT: &[&str] = &[
    "27a7479befa1d476489f308cd4cfa6e2a96e4bbe3208ff25287dd3819616e89c",
    "c78cf7f5e543445f8333d8fa7f56000005279fa5d8b5e4ad40e736ddb4d35412",
    "328063fd2aab53e5ea1e0a9f332500a5df9487d07a5c92cc512c8866c7e860ce",
    "93fdf166a24912b422976146ae20ce846bb7dc9ba94a767aaef20c0d61ad0265",
    "5ea92dc4c4e41a8952c651d33174be51a10c421110e6d81588ede82103a252d8",
    "a750e8768defffed9122810aaeb99f9172af82b604dc4b8e51bcb08235a6f434",
    "1332e4ca60482a4ba1a03b3e65008fc5da76b70bf1690db4eae29c5f1badd03c",
    "5ccf2a55d705ddcd86d449511ceb7ec30bf12b1fa35b913f9f747a8afd1b130e",
    "94bff94effd01a91735ca1726acd0b197c4e5b03393697e126826fb6bbde8ecc",
    "1e08298516e2c9ed03ff3c1b7860f6de76d4cecd94c8119855ef5297ca67e9f3",
    "e7ff72b1e99785ca0a7e7720c5b36dc6d72cac9574c8cbbc2f801e23e56fd344",
    "b07f22154beba0f08ce8891e643ed995c94d9a69c9f1b5f499027a78572aeebd",
    "74d20cc39881c213ee770b1010e4bea718846977ae119f7a023ab58cca0ad752",
    "afe656bb3c17256a9f6e9bf19fdd5a38fc82bbe872c5539edb609ef4f79c203e",
    "bb140f2e583cb2ad15b4aa5b655016a8449277dbd477ef2c8d6c017db738b18d",
    "eb4a427d1923ce3ff262735779a418f20a282df920147beabe421ee5319d0568",
];

/// IEEE 1619-2007 vectors 15-18: XTS-AES-128, DUSN 0x123456789a, 17-20 byte data units
/// (ciphertext stealing). Full ciphertexts as published (toolchain.md §7.1), re-computed with
/// Python `cryptography` 48.0.0.
#[test]
fn ieee1619_vectors_15_to_18_ciphertext_stealing() {
    let key = hex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0bfbebdbcbbbab9b8b7b6b5b4b3b2b1b0");
    let xts = XtsAes::new(&key).unwrap();
    let cases = [
        (17, "6c1625db4671522d3d7599601de7ca09ed"),
        (18, "d069444b7a7e0cab09e24447d24deb1fedbf"),
        (19, "e5df1351c0544ba1350b3363cd8ef4beedbf9d"),
        (20, "9d84c813f719aa2c7be3f66171c7c5c2edbf9dac"),
    ];
    for (n, ct) in cases {
        let pt: Vec<u8> = (0..n).map(|i| i as u8).collect();
        let mut buf = pt.clone();
        xts.encrypt_data_unit(&mut buf, 0x12_3456_789a).unwrap();
        assert_eq!(buf, hex(ct), "vector with {n} bytes");
        xts.decrypt_data_unit(&mut buf, 0x12_3456_789a).unwrap();
        assert_eq!(buf, pt);
    }
}

/// Known answer from toolchain.md §7.1 (Python `cryptography`): key 00..3f, sector 5,
/// 512 zero bytes; first/last 32 bytes, and the 17-byte ciphertext-stealing case.
#[test]
fn python_cryptography_known_answers() {
    let key: Vec<u8> = (0u8..64).collect();
    let xts = XtsAes::new(&key).unwrap();
    let mut buf = [0u8; 512];
    xts.encrypt_sectors(&mut buf, 512, 5).unwrap();
    assert_eq!(
        &buf[..32],
        hex("41047df5c636cd4fcb4cae528f91daa1d6c25ebf4219446489e8fcd7c9271e97").as_slice()
    );
    assert_eq!(
        &buf[480..],
        hex("ba0ec7e9549693e4a7ce9a24cc7495b38b1ab58ee4158ba18ac613faa0ae04f4").as_slice()
    );
    let mut unit = [0u8; 17];
    xts.encrypt_data_unit(&mut unit, 5).unwrap();
    assert_eq!(unit.as_slice(), hex("5a6babffe51e0120fdd692539a9259b141").as_slice());
    let key: Vec<u8> = (0u8..32).collect();
    let mut buf = [0u8; 512];
    XtsAes::new(&key).unwrap().encrypt_sectors(&mut buf, 512, 5).unwrap();
    assert_eq!(
        &buf[..32],
        hex("7ac7ca021c443d95a43733c83d9321f61f4613dc5592831222233242b5a27ab4").as_slice()
    );
}

#[test]
fn key_checks() {
    assert_eq!(
        XtsAes::new(&[1u8; 48]).err(),
        Some(XtsError::InvalidKeyLength { len: 48 })
    );
    assert_eq!(XtsAes::new(&[]).err(), Some(XtsError::InvalidKeyLength { len: 0 }));
    assert_eq!(XtsAes::new(&[5u8; 64]).err(), Some(XtsError::EqualKeyHalves));
    assert_eq!(XtsAes::new(&[5u8; 32]).err(), Some(XtsError::EqualKeyHalves));
    let mut key = [5u8; 64];
    key[63] = 6; // differ in the last byte only
    assert_eq!(XtsAes::new(&key).unwrap().key_size(), XtsKeySize::Bits512);
}

#[test]
fn geometry_errors_leave_data_untouched() {
    let xts = XtsAes::new(&(0u8..64).collect::<Vec<_>>()).unwrap();
    let mut buf = [3u8; 1000];
    assert_eq!(
        xts.encrypt_sectors(&mut buf, 500, 0),
        Err(XtsError::InvalidSectorSize { sector_size: 500 })
    );
    assert_eq!(
        xts.encrypt_sectors(&mut buf, 0, 0),
        Err(XtsError::InvalidSectorSize { sector_size: 0 })
    );
    assert_eq!(
        xts.decrypt_sectors(&mut buf, 512, 0),
        Err(XtsError::PartialSector {
            len: 1000,
            sector_size: 512
        })
    );
    assert_eq!(
        xts.encrypt_data_unit(&mut buf[..15], 0),
        Err(XtsError::DataUnitTooShort { len: 15 })
    );
    assert_eq!(
        xts.decrypt_data_unit(&mut [], 0),
        Err(XtsError::DataUnitTooShort { len: 0 })
    );
    let mut two = [0u8; 1024];
    assert_eq!(
        xts.encrypt_sectors(&mut two, 512, u64::MAX),
        Err(XtsError::SectorNumberOverflow)
    );
    assert!(xts.encrypt_sectors(&mut two[..512], 512, u64::MAX).is_ok());
    assert!(buf.iter().all(|&b| b == 3));
    assert!(xts.encrypt_sectors(&mut [], 512, 0).is_ok());
}

#[test]
fn units_use_first_plus_index_times_step() {
    let key: Vec<u8> = (0u8..64).map(|i| i.wrapping_mul(29).wrapping_add(3)).collect();
    for backend in backends_under_test() {
        let xts = XtsAes::with_backend(&key, backend).unwrap();
        let pt: Vec<u8> = (0..3 * 4096).map(|i| (i % 253) as u8).collect();
        let mut units = pt.clone();
        xts.encrypt_units(&mut units, 4096, 40, 8).unwrap();
        for (i, chunk) in pt.chunks(4096).enumerate() {
            let mut one = chunk.to_vec();
            reference_encrypt_area(&key, &mut one, 4096, 40 + 8 * i as u64);
            assert_eq!(&units[i * 4096..(i + 1) * 4096], &one[..], "{backend} unit {i}");
        }
        xts.decrypt_units(&mut units, 4096, 40, 8).unwrap();
        assert_eq!(units, pt);
        // Step 1 is encrypt_sectors.
        let (mut a, mut b) = (pt.clone(), pt.clone());
        xts.encrypt_units(&mut a, 512, 7, 1).unwrap();
        xts.encrypt_sectors(&mut b, 512, 7).unwrap();
        assert_eq!(a, b);
        // Overflow of first + (n-1) * step is refused and nothing changes.
        let mut buf = pt.clone();
        let last_ok = u64::MAX - 16;
        assert_eq!(
            xts.encrypt_units(&mut buf, 4096, last_ok + 1, 8),
            Err(XtsError::SectorNumberOverflow)
        );
        assert_eq!(
            xts.encrypt_units(&mut buf, 4096, 0, u64::MAX / 2 + 1),
            Err(XtsError::SectorNumberOverflow)
        );
        assert_eq!(buf, pt);
        assert!(xts.encrypt_units(&mut buf, 4096, last_ok, 8).is_ok());
    }
}

#[test]
fn gf_multiplication_by_x() {
    assert_eq!(mul_x(1), 2);
    assert_eq!(mul_x(1u128 << 127), 0x87);
    assert_eq!(mul_x((1u128 << 127) | 1), 0x85);
}

fn reference_encrypt_area(key: &[u8], buf: &mut [u8], sector_size: usize, first: u64) {
    let (k1, k2) = key.split_at(key.len() / 2);
    let tw = |i| xts_mode::get_tweak_default(i);
    if key.len() == 32 {
        let x = xts_mode::Xts128::new(Aes128::new_from_slice(k1).unwrap(), Aes128::new_from_slice(k2).unwrap());
        x.encrypt_area(buf, sector_size, u128::from(first), tw);
    } else {
        let x = xts_mode::Xts128::new(Aes256::new_from_slice(k1).unwrap(), Aes256::new_from_slice(k2).unwrap());
        x.encrypt_area(buf, sector_size, u128::from(first), tw);
    }
}

fn arb_key() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 32),
        prop::collection::vec(any::<u8>(), 64)
    ]
    .prop_filter("distinct halves", |k| k[..k.len() / 2] != k[k.len() / 2..])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whole sectors through the batched data path equal xts-mode, for sector sizes that are
    /// multiples of 16 and runs of sectors that cross the 64-sector tweak batches and the
    /// backend's ParBlocksSize batches.
    #[test]
    fn sectors_match_xts_mode(
        key in arb_key(),
        blocks_per_sector in prop_oneof![Just(32usize), Just(256usize), 1usize..70],
        sectors in 1usize..140,
        first in prop_oneof![Just(0u64), any::<u64>().prop_map(|v| v >> 1)],
        seed in any::<u64>(),
    ) {
        let sector_size = blocks_per_sector * 16;
        let sectors = sectors.min((1 << 19) / sector_size).max(1);
        let mut state = seed;
        let pt: Vec<u8> = (0..sector_size * sectors).map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 56) as u8
        }).collect();
        let mut theirs = pt.clone();
        reference_encrypt_area(&key, &mut theirs, sector_size, first);
        for backend in backends_under_test() {
            let mut ours = pt.clone();
            let xts = XtsAes::with_backend(&key, backend).unwrap();
            xts.encrypt_sectors(&mut ours, sector_size, first).unwrap();
            prop_assert_eq!(&ours, &theirs, "{}", backend);
            xts.decrypt_sectors(&mut ours, sector_size, first).unwrap();
            prop_assert_eq!(&ours, &pt, "{}", backend);
        }
    }

    /// Every SIMD backend equals the portable path for random keys, unit sizes (512, 4096, any
    /// multiple of 16), tweak steps, and first tweak numbers at the edges (0, 2^32 ± 1, 2^63,
    /// 2^64 - n), both directions.
    #[test]
    fn backends_match_portable(
        key in arb_key(),
        blocks_per_unit in prop_oneof![Just(32usize), Just(256usize), 1usize..300],
        units in 1usize..40,
        step in prop_oneof![Just(1u64), Just(8u64), 0u64..1000],
        edge in prop_oneof![
            Just(0u64),
            Just((1u64 << 32) - 1),
            Just(1u64 << 32),
            Just((1u64 << 32) + 1),
            Just(1u64 << 63),
            Just(u64::MAX),
            any::<u64>(),
        ],
        seed in any::<u64>(),
    ) {
        let unit = blocks_per_unit * 16;
        let units = units.min((1 << 18) / unit).max(1);
        // Move `edge` down so that the last unit's tweak is at most `edge` (2^64 - n included).
        let span = (units as u64 - 1).saturating_mul(step);
        let first = edge.saturating_sub(span);
        let mut state = seed;
        let pt: Vec<u8> = (0..unit * units).map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 56) as u8
        }).collect();
        let portable = XtsAes::with_backend(&key, Backend::Portable).unwrap();
        let mut expected = pt.clone();
        portable.encrypt_units(&mut expected, unit, first, step).unwrap();
        for (backend, xts) in instances_under_test(&key) {
            let mut ours = pt.clone();
            xts.encrypt_units(&mut ours, unit, first, step).unwrap();
            prop_assert_eq!(&ours, &expected, "{} encrypt", backend);
            xts.decrypt_units(&mut ours, unit, first, step).unwrap();
            prop_assert_eq!(&ours, &pt, "{} decrypt", backend);
        }
    }

    /// Single data units of any length ≥ 16 (ciphertext stealing for the non-multiples of 16)
    /// equal xts-mode's `encrypt_sector`, and decrypt back.
    #[test]
    fn data_units_match_xts_mode(
        key in arb_key(),
        data in prop::collection::vec(any::<u8>(), 16..2100),
        tweak in any::<u128>(),
    ) {
        let xts = XtsAes::new(&key).unwrap();
        let mut ours = data.clone();
        xts.encrypt_data_unit(&mut ours, tweak).unwrap();
        let mut theirs = data.clone();
        let (k1, k2) = key.split_at(key.len() / 2);
        let tw = xts_mode::Array::from(tweak.to_le_bytes());
        if key.len() == 32 {
            xts_mode::Xts128::new(Aes128::new_from_slice(k1).unwrap(), Aes128::new_from_slice(k2).unwrap())
                .encrypt_sector(&mut theirs, tw);
        } else {
            xts_mode::Xts128::new(Aes256::new_from_slice(k1).unwrap(), Aes256::new_from_slice(k2).unwrap())
                .encrypt_sector(&mut theirs, tw);
        }
        prop_assert_eq!(&ours, &theirs);
        xts.decrypt_data_unit(&mut ours, tweak).unwrap();
        prop_assert_eq!(&ours, &data);
    }
}

#[test]
fn fixed_cts_lengths_match_xts_mode() {
    // The lengths performance.md §12 lists, for two keys.
    let lens = [
        16, 17, 31, 33, 47, 100, 129, 255, 257, 272, 511, 513, 520, 1000, 1040, 2049, 4095, 4111, 8192,
    ];
    for key in [(0u8..64).collect::<Vec<_>>(), (100u8..132).collect()] {
        let xts = XtsAes::new(&key).unwrap();
        for len in lens {
            let pt: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let mut ours = pt.clone();
            xts.encrypt_data_unit(&mut ours, len as u128).unwrap();
            let mut theirs = pt.clone();
            let (k1, k2) = key.split_at(key.len() / 2);
            let tw = xts_mode::get_tweak_default(len as u128);
            if key.len() == 32 {
                xts_mode::Xts128::new(Aes128::new_from_slice(k1).unwrap(), Aes128::new_from_slice(k2).unwrap())
                    .encrypt_sector(&mut theirs, tw);
            } else {
                xts_mode::Xts128::new(Aes256::new_from_slice(k1).unwrap(), Aes256::new_from_slice(k2).unwrap())
                    .encrypt_sector(&mut theirs, tw);
            }
            assert_eq!(ours, theirs, "len {len}");
            xts.decrypt_data_unit(&mut ours, len as u128).unwrap();
            assert_eq!(ours, pt);
        }
    }
}

/// Prints the backends this CPU runs (shown by `cargo test -- --nocapture` and by CI), and checks
/// that forcing an unsupported one is refused while every supported one is honoured.
#[test]
fn backends_on_this_cpu() {
    let key: Vec<u8> = (0u8..64).collect();
    let names: Vec<String> = instances_under_test(&key).into_iter().map(|(name, _)| name).collect();
    println!("XTS backends tested on this CPU: {}", names.join(", "));
    assert!(Backend::Portable.is_supported());
    for b in Backend::ALL {
        match XtsAes::with_backend(&key, b) {
            Ok(x) => {
                assert!(b.is_supported());
                assert_eq!(x.backend(), b);
            }
            Err(e) => {
                assert!(!b.is_supported());
                assert_eq!(e, XtsError::BackendUnsupported { backend: b });
            }
        }
    }
    assert_eq!(Backend::parse(Backend::best().name()), Some(Backend::best()));
}

/// The key schedules stay where key expansion wrote them: moving or returning an `XtsAes` moves
/// pointers, never the round keys (issue 15: no copies of the key halves in dead frames).
#[test]
fn key_schedules_never_move_with_the_xts_value() {
    let key: Vec<u8> = (0u8..64).collect();
    for backend in Backend::available() {
        let xts = XtsAes::with_backend(&key, backend).unwrap();
        let inner: *const XtsInner = &*xts.inner;
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        let simd = xts.simd.as_deref().map(|s| s as *const _);
        let pass = |x: XtsAes| -> Result<XtsAes, XtsError> { Ok(core::hint::black_box(x)) };
        let moved = [Box::new(core::hint::black_box(pass(xts)).unwrap())];
        assert!(core::ptr::eq(&*moved[0].inner, inner), "{backend}");
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        assert_eq!(moved[0].simd.as_deref().map(|s| s as *const _), simd, "{backend}");
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        assert_eq!(simd.is_some(), backend != Backend::Portable);
    }
}
