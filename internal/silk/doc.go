// Package silk turns voice notes in SILK v3 (Skype's speech codec, which WeChat and QQ store
// voice messages in) into WAV that browsers play. The archive keeps the original bytes; the
// viewer and the HTML export convert on the way out.
//
// The decoding is the Skype SILK SDK's fixed-point decoder as translated to Go by ccgo
// (github.com/wdvxdr1123/go-silk's sdk package, pure Go). That translation works on raw memory
// without Go's bounds checks, so every input is bounded here before the decoder sees it: the
// file's size, each packet's size (the SDK's own 1,024-byte maximum), the frames per packet and
// the length of the result. See docs/importers/wechat.md, "Voice notes", for why this decoder.
package silk
