package wachat

import (
	"sort"
	"strings"
	"testing"
)

// placeholder is a body WhatsApp writes in place of something the export
// does not carry, as one platform writes it after the author.
type placeholder struct {
	ios   bool   // written by iOS (an LRM before it, a bracketed header); else Android
	body  string // as in the file, capitals and final full stop included
	kind  Kind
	media string // Attachment.Kind, for media placeholders
}

func and(body string, k Kind, media string) placeholder { return placeholder{false, body, k, media} }
func ios(body string, k Kind, media string) placeholder { return placeholder{true, body, k, media} }

// placeholdersByLocale are the placeholders of each language WhatsApp ships,
// Android's and iOS's, in the forms their exports write them (singular and
// plural where the language has both).
var placeholdersByLocale = map[string][]placeholder{
	"en": {
		and("<Media omitted>", KindMediaOmitted, ""),
		and("<Video note omitted>", KindMediaOmitted, "video"),
		and("<View once voice message omitted>", KindViewOnce, "voice"),
		and("null", KindViewOnce, ""),
		and("This message was deleted", KindDeleted, ""),
		and("You deleted this message", KindDeleted, ""),
		and("This message was deleted by an admin", KindDeleted, ""),
		and("Missed voice call", KindCall, ""),
		and("Missed video call", KindCall, ""),
		and("Missed group voice call", KindCall, ""),
		ios("image omitted", KindMediaOmitted, "photo"),
		ios("video omitted", KindMediaOmitted, "video"),
		ios("video note omitted", KindMediaOmitted, "video"),
		ios("audio omitted", KindMediaOmitted, "audio"),
		ios("sticker omitted", KindMediaOmitted, "sticker"),
		ios("GIF omitted", KindMediaOmitted, "gif"),
		ios("document omitted", KindMediaOmitted, "document"),
		ios("Contact card omitted", KindMediaOmitted, "contact"),
		ios("This message was deleted.", KindDeleted, ""),
		ios("You deleted this message.", KindDeleted, ""),
		ios("Missed voice call", KindCall, ""),
		ios("<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"de": {
		and("<Medien ausgeschlossen>", KindMediaOmitted, ""),
		and("<Medien weggelassen>", KindMediaOmitted, ""),
		and("Diese Nachricht wurde gelöscht", KindDeleted, ""),
		and("Du hast diese Nachricht gelöscht", KindDeleted, ""),
		and("Verpasster Sprachanruf", KindCall, ""),
		and("Verpasster Videoanruf", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (Datei angehängt)", KindAttachment, "photo"),
		ios("Bild weggelassen", KindMediaOmitted, "photo"),
		ios("Video weggelassen", KindMediaOmitted, "video"),
		ios("Audio weggelassen", KindMediaOmitted, "audio"),
		ios("Sticker weggelassen", KindMediaOmitted, "sticker"),
		ios("GIF weggelassen", KindMediaOmitted, "gif"),
		ios("Dokument weggelassen", KindMediaOmitted, "document"),
		ios("Kontaktkarte ausgelassen", KindMediaOmitted, "contact"),
		ios("Diese Nachricht wurde gelöscht.", KindDeleted, ""),
		ios("<Anhang: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"es": {
		and("<Multimedia omitido>", KindMediaOmitted, ""),
		and("<Archivo omitido>", KindMediaOmitted, ""),
		and("Se eliminó este mensaje.", KindDeleted, ""),
		and("Eliminaste este mensaje.", KindDeleted, ""),
		and("Llamada perdida", KindCall, ""),
		and("Videollamada perdida", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (archivo adjunto)", KindAttachment, "photo"),
		ios("imagen omitida", KindMediaOmitted, "photo"),
		ios("video omitido", KindMediaOmitted, "video"),
		ios("audio omitido", KindMediaOmitted, "audio"),
		ios("sticker omitido", KindMediaOmitted, "sticker"),
		ios("GIF omitido", KindMediaOmitted, "gif"),
		ios("documento omitido", KindMediaOmitted, "document"),
		ios("tarjeta de contacto omitida", KindMediaOmitted, "contact"),
		ios("<adjunto: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"fr": {
		and("<Médias omis>", KindMediaOmitted, ""),
		and("<Fichier omis>", KindMediaOmitted, ""),
		and("Ce message a été supprimé", KindDeleted, ""),
		and("Vous avez supprimé ce message", KindDeleted, ""),
		and("Appel vocal manqué", KindCall, ""),
		and("Appel vidéo manqué", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (fichier joint)", KindAttachment, "photo"),
		ios("image absente", KindMediaOmitted, "photo"),
		ios("vidéo absente", KindMediaOmitted, "video"),
		ios("audio omis", KindMediaOmitted, "audio"),
		ios("sticker omis", KindMediaOmitted, "sticker"),
		ios("GIF retiré", KindMediaOmitted, "gif"),
		ios("document omis", KindMediaOmitted, "document"),
		ios("fiche contact manquante", KindMediaOmitted, "contact"),
		ios("<pièce jointe : 00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"it": {
		and("<Media omessi>", KindMediaOmitted, ""),
		and("<Media omesso>", KindMediaOmitted, ""),
		and("Questo messaggio è stato eliminato", KindDeleted, ""),
		and("Hai eliminato questo messaggio", KindDeleted, ""),
		and("Chiamata vocale persa", KindCall, ""),
		and("Videochiamata persa", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (file allegato)", KindAttachment, "photo"),
		ios("immagine omessa", KindMediaOmitted, "photo"),
		ios("video omesso", KindMediaOmitted, "video"),
		ios("audio omesso", KindMediaOmitted, "audio"),
		ios("sticker non incluso", KindMediaOmitted, "sticker"),
		ios("GIF esclusa", KindMediaOmitted, "gif"),
		ios("documento omesso", KindMediaOmitted, "document"),
		ios("scheda contatto omessa", KindMediaOmitted, "contact"),
		ios("<allegato: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"pt-BR": {
		and("<Mídia oculta>", KindMediaOmitted, ""),
		and("<Mídia omitida>", KindMediaOmitted, ""),
		and("Mensagem apagada", KindDeleted, ""),
		and("Você apagou esta mensagem", KindDeleted, ""),
		and("Chamada de voz perdida", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (arquivo anexado)", KindAttachment, "photo"),
		ios("imagem ocultada", KindMediaOmitted, "photo"),
		ios("vídeo omitido", KindMediaOmitted, "video"),
		ios("áudio ocultado", KindMediaOmitted, "audio"),
		ios("figurinha omitida", KindMediaOmitted, "sticker"),
		ios("GIF omitido", KindMediaOmitted, "gif"),
		ios("documento omitido", KindMediaOmitted, "document"),
		ios("cartão do contato omitido", KindMediaOmitted, "contact"),
		ios("<anexado: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"pt-PT": {
		and("<Ficheiro não revelado>", KindMediaOmitted, ""),
		and("Esta mensagem foi apagada", KindDeleted, ""),
		and("IMG-20230115-WA0001.jpg (ficheiro anexado)", KindAttachment, "photo"),
		ios("imagem não revelada", KindMediaOmitted, "photo"),
		ios("vídeo não revelado", KindMediaOmitted, "video"),
		ios("ficheiro de áudio não revelado", KindMediaOmitted, "audio"),
		ios("sticker não revelado", KindMediaOmitted, "sticker"),
		ios("GIF não revelada", KindMediaOmitted, "gif"),
		ios("documento não revelado", KindMediaOmitted, "document"),
		ios("contacto não revelado", KindMediaOmitted, "contact"),
	},
	"nl": {
		and("<Media weggelaten>", KindMediaOmitted, ""),
		and("Dit bericht is verwijderd", KindDeleted, ""),
		and("U hebt dit bericht verwijderd", KindDeleted, ""),
		and("Gemist spraakgesprek", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (bestand bijgevoegd)", KindAttachment, "photo"),
		ios("afbeelding weggelaten", KindMediaOmitted, "photo"),
		ios("video weggelaten", KindMediaOmitted, "video"),
		ios("audio weggelaten", KindMediaOmitted, "audio"),
		ios("sticker weggelaten", KindMediaOmitted, "sticker"),
		ios("GIF weggelaten", KindMediaOmitted, "gif"),
		ios("document weggelaten", KindMediaOmitted, "document"),
		ios("visitekaartje weggelaten", KindMediaOmitted, "contact"),
	},
	"ru": {
		and("<Без медиафайлов>", KindMediaOmitted, ""),
		and("<Файл пропущен>", KindMediaOmitted, ""),
		and("Данное сообщение удалено", KindDeleted, ""),
		and("Вы удалили данное сообщение", KindDeleted, ""),
		and("Пропущенный аудиозвонок", KindCall, ""),
		and("Alex.vcf (файл добавлен)", KindAttachment, "contact"),
		ios("изображение отсутствует", KindMediaOmitted, "photo"),
		ios("видео отсутствует", KindMediaOmitted, "video"),
		ios("аудиофайл отсутствует", KindMediaOmitted, "audio"),
		ios("стикер не добавлен", KindMediaOmitted, "sticker"),
		ios("GIF отсутствует", KindMediaOmitted, "gif"),
		ios("документ отсутствует", KindMediaOmitted, "document"),
		ios("Карточка контакта отсутствует", KindMediaOmitted, "contact"),
		ios("<прикреплено: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"uk": {
		and("<Медіа пропущено>", KindMediaOmitted, ""),
		and("Це повідомлення було видалено", KindDeleted, ""),
		and("Ви видалили це повідомлення", KindDeleted, ""),
		and("Пропущений аудіодзвінок", KindCall, ""),
		ios("зображення відсутнє", KindMediaOmitted, "photo"),
		ios("відео відсутнє", KindMediaOmitted, "video"),
		ios("аудіо відсутнє", KindMediaOmitted, "audio"),
		ios("Наклейку не додано", KindMediaOmitted, "sticker"),
		ios("GIF-анімацію пропущено", KindMediaOmitted, "gif"),
		ios("документ пропущено", KindMediaOmitted, "document"),
		ios("Картка контакту відсутня", KindMediaOmitted, "contact"),
	},
	"tr": {
		and("<Medya dahil edilmedi>", KindMediaOmitted, ""),
		and("<Medya atlanmış>", KindMediaOmitted, ""),
		and("Bu mesaj silindi", KindDeleted, ""),
		and("Bu mesajı sildiniz", KindDeleted, ""),
		and("Cevapsız sesli arama", KindCall, ""),
		and("STK-20241210-WA0003.webp (dosya ekli)", KindAttachment, "sticker"),
		ios("görüntü dahil edilmedi", KindMediaOmitted, "photo"),
		ios("video dahil edilmedi", KindMediaOmitted, "video"),
		ios("ses dahil edilmedi", KindMediaOmitted, "audio"),
		ios("Çıkartma dahil edilmedi", KindMediaOmitted, "sticker"),
		ios("GIF dahil edilmedi", KindMediaOmitted, "gif"),
		ios("belge dahil edilmedi", KindMediaOmitted, "document"),
		ios("kişi kartı dahil edilmedi", KindMediaOmitted, "contact"),
		ios("<00000035-PHOTO-2022-03-27-21-41-55.jpg eklendi>", KindAttachment, "photo"),
	},
	"ar": {
		and("<تم استبعاد الوسائط>", KindMediaOmitted, ""),
		and("تم حذف هذه الرسالة", KindDeleted, ""),
		and("لقد حذَفت هذه الرسالة", KindDeleted, ""),
		and("لقد حذفت هذه الرسالة", KindDeleted, ""), // the same without the vowel mark
		and("مكالمة صوتية فائتة", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (الملف مرفق)", KindAttachment, "photo"),
		ios("لم يتم إدراج الصورة", KindMediaOmitted, "photo"),
		ios("لم يتم إدراج الفيديوهات", KindMediaOmitted, "video"),
		ios("لم يتم إدراج المقاطع الصوتية", KindMediaOmitted, "audio"),
		ios("تم حذف الملصقات", KindMediaOmitted, "sticker"),
		ios("لم يتم إدراج صورة GIF", KindMediaOmitted, "gif"),
		ios("لم يتم إدراج المستند", KindMediaOmitted, "document"),
		ios("لم يتم إدراج بطاقة جهة اتصال", KindMediaOmitted, "contact"),
	},
	"fa": {
		and("<رسانه حذف شد>", KindMediaOmitted, ""),
		and("<پیوست نما/آهنگ حذف شد>", KindMediaOmitted, ""),
		and("این پیام حذف شد", KindDeleted, ""),
		ios("تصویر حذف شد", KindMediaOmitted, "photo"),
		ios("ویدیو حذف شد", KindMediaOmitted, "video"),
		ios("صدا حذف شد", KindMediaOmitted, "audio"),
		ios("استیکر حذف شد", KindMediaOmitted, "sticker"),
		ios("GIF حذف شد", KindMediaOmitted, "gif"),
		ios("سند حذف شد", KindMediaOmitted, "document"),
		ios("برگ مخاطب حذف شد", KindMediaOmitted, "contact"),
	},
	"he": {
		and("<מדיה הושמטה>", KindMediaOmitted, ""),
		and("הודעה זו נמחקה", KindDeleted, ""),
		and("מחקת את ההודעה הזו", KindDeleted, ""),
		and("שיחה קולית שלא נענתה", KindCall, ""),
		ios("התמונה הושמטה", KindMediaOmitted, "photo"),
		ios("סרטון הווידאו הושמט", KindMediaOmitted, "video"),
		ios("קטע קול הושמט", KindMediaOmitted, "audio"),
		ios("סטיקר הושמט", KindMediaOmitted, "sticker"),
		ios("GIF הושמט", KindMediaOmitted, "gif"),
		ios("מסמך הושמט", KindMediaOmitted, "document"),
		ios("כרטיס איש קשר הושמט", KindMediaOmitted, "contact"),
	},
	"hi": {
		and("<मीडिया के बिना>", KindMediaOmitted, ""),
		and("यह मैसेज डिलीट कर दिया गया है", KindDeleted, ""),
		and("आपने यह मैसेज डिलीट किया", KindDeleted, ""),
		ios("फ़ोटो हटाई गई", KindMediaOmitted, "photo"),
		ios("वीडियो छोड़ा गया", KindMediaOmitted, "video"),
		ios("वीडियो छोड़ा गया", KindMediaOmitted, "video"), // ड़ precomposed
		ios("ऑडियो हटाई गयी", KindMediaOmitted, "audio"),
		ios("स्टिकर छोड़ा गया", KindMediaOmitted, "sticker"),
		ios("GIF छोड़ा गया", KindMediaOmitted, "gif"),
		ios("डॉक्यूमेंट छोड़ा गया", KindMediaOmitted, "document"),
		ios("कॉन्टैक्ट कार्ड छोड़ा गया", KindMediaOmitted, "contact"),
	},
	"id": {
		and("<Media tidak disertakan>", KindMediaOmitted, ""),
		and("Pesan ini dihapus", KindDeleted, ""),
		and("Anda menghapus pesan ini", KindDeleted, ""),
		and("Panggilan suara tak terjawab", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (file terlampir)", KindAttachment, "photo"),
		ios("gambar tidak disertakan", KindMediaOmitted, "photo"),
		ios("video tidak disertakan", KindMediaOmitted, "video"),
		ios("audio tidak disertakan", KindMediaOmitted, "audio"),
		ios("stiker tidak disertakan", KindMediaOmitted, "sticker"),
		ios("GIF tidak disertakan", KindMediaOmitted, "gif"),
		ios("dokumen tidak disertakan", KindMediaOmitted, "document"),
		ios("kartu kontak tidak disertakan", KindMediaOmitted, "contact"),
	},
	"ms": {
		and("Mesej ini telah dipadam", KindDeleted, ""),
		and("Anda telah memadamkan mesej ini", KindDeleted, ""),
		ios("imej tidak dimasukkan", KindMediaOmitted, "photo"),
		ios("video tidak dimasukkan", KindMediaOmitted, "video"),
		ios("audio tidak dimasukkan", KindMediaOmitted, "audio"),
		ios("pelekat tidak disertakan", KindMediaOmitted, "sticker"),
		ios("GIF tidak dimasukkan", KindMediaOmitted, "gif"),
		ios("dokumen tidak dimasukkan", KindMediaOmitted, "document"),
		ios("kad kenalan tidak dimasukkan", KindMediaOmitted, "contact"),
	},
	"ja": {
		and("<メディアは含まれていません>", KindMediaOmitted, ""),
		and("<メディアなし>", KindMediaOmitted, ""),
		and("このメッセージは削除されました", KindDeleted, ""),
		and("このメッセージを削除しました", KindDeleted, ""),
		and("音声通話不在着信", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (添付ファイル有り)", KindAttachment, "photo"),
		ios("画像は含まれていません", KindMediaOmitted, "photo"),
		ios("ビデオは含まれていません", KindMediaOmitted, "video"),
		ios("音声は含まれていません", KindMediaOmitted, "audio"),
		ios("スタンプは含まれていません", KindMediaOmitted, "sticker"),
		ios("GIFは含まれていません", KindMediaOmitted, "gif"),
		ios("ドキュメントは含まれていません", KindMediaOmitted, "document"),
		ios("連絡先カードを省略", KindMediaOmitted, "contact"),
		ios("<添付ファイル：00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"ko": {
		and("<미디어 파일을 생략한 대화내용>", KindMediaOmitted, ""),
		and("이 메시지는 삭제되었습니다", KindDeleted, ""),
		and("이 메시지를 삭제했습니다", KindDeleted, ""),
		and("부재중 전화", KindCall, ""),
		ios("이미지 생략됨", KindMediaOmitted, "photo"),
		ios("비디오 생략됨", KindMediaOmitted, "video"),
		ios("오디오 생략됨", KindMediaOmitted, "audio"),
		ios("스티커 제외됨", KindMediaOmitted, "sticker"),
		ios("GIF 생략됨", KindMediaOmitted, "gif"),
		ios("문서 생략됨", KindMediaOmitted, "document"),
		ios("연락처 카드 생략됨", KindMediaOmitted, "contact"),
	},
	"zh-CN": {
		and("<省略多媒体文件>", KindMediaOmitted, ""),
		and("这条消息已被删除", KindDeleted, ""),
		and("您已删除这条消息", KindDeleted, ""),
		and("未接语音通话", KindCall, ""),
		ios("照片已忽略", KindMediaOmitted, "photo"),
		ios("视频已忽略", KindMediaOmitted, "video"),
		ios("音频已忽略", KindMediaOmitted, "audio"),
		ios("贴图已省略", KindMediaOmitted, "sticker"),
		ios("GIF 动态图已被忽略", KindMediaOmitted, "gif"),
		ios("文档已省略", KindMediaOmitted, "document"),
		ios("联系人卡片已忽略", KindMediaOmitted, "contact"),
		ios("<附件：00000035-PHOTO-2022-03-27-21-41-55.jpg>", KindAttachment, "photo"),
	},
	"zh-TW": {
		and("<忽略多媒體檔>", KindMediaOmitted, ""),
		and("此訊息已刪除", KindDeleted, ""),
		and("您已刪除此訊息", KindDeleted, ""),
		and("未接語音通話", KindCall, ""),
		ios("圖片已略去", KindMediaOmitted, "photo"),
		ios("影片已略去", KindMediaOmitted, "video"),
		ios("音訊已略去", KindMediaOmitted, "audio"),
		ios("貼圖已略去", KindMediaOmitted, "sticker"),
		ios("GIF 已略去", KindMediaOmitted, "gif"),
		ios("文件已略去", KindMediaOmitted, "document"),
		ios("聯絡人卡片已略去", KindMediaOmitted, "contact"),
	},
	"pl": {
		and("<pliki pominięto>", KindMediaOmitted, ""),
		and("Ta wiadomość została usunięta", KindDeleted, ""),
		and("Usunąłeś(-ęłaś) tę wiadomość", KindDeleted, ""),
		and("Usunąłeś(aś) tę wiadomość", KindDeleted, ""),
		and("Nieodebrane poł. głosowe", KindCall, ""),
		and("IMG-20230115-WA0001.jpg (załączony plik)", KindAttachment, "photo"),
		ios("obraz pominięty", KindMediaOmitted, "photo"),
		ios("wideo pominięte", KindMediaOmitted, "video"),
		ios("audio pominięte", KindMediaOmitted, "audio"),
		ios("pominięto naklejkę", KindMediaOmitted, "sticker"),
		ios("plik GIF pominięty", KindMediaOmitted, "gif"),
		ios("dokument pominięty", KindMediaOmitted, "document"),
		ios("pominięta wizytówka kontaktu", KindMediaOmitted, "contact"),
	},
	"cs": {
		and("<Média vynechána>", KindMediaOmitted, ""),
		and("Tato zpráva byla smazána", KindDeleted, ""),
		and("Tuto zprávu jste smazal/a", KindDeleted, ""),
		and("Zmeškaný hovor", KindCall, ""),
		ios("obrázek vynechán", KindMediaOmitted, "photo"),
		ios("video vynecháno", KindMediaOmitted, "video"),
		ios("zvukový soubor vynechán", KindMediaOmitted, "audio"),
		ios("nálepka vynechána", KindMediaOmitted, "sticker"),
		ios("GIF vynechán", KindMediaOmitted, "gif"),
		ios("dokument vynechán", KindMediaOmitted, "document"),
		ios("vizitka vynechána", KindMediaOmitted, "contact"),
	},
	"sk": {
		and("<Médiá vynechané>", KindMediaOmitted, ""),
		and("Táto správa bola odstránená", KindDeleted, ""),
		ios("obrázok vynechaný", KindMediaOmitted, "photo"),
		ios("video vynechané", KindMediaOmitted, "video"),
		ios("zvuk vynechaný", KindMediaOmitted, "audio"),
		ios("nálepka vynechaná", KindMediaOmitted, "sticker"),
		ios("GIF vynechaný", KindMediaOmitted, "gif"),
		ios("dokument vynechaný", KindMediaOmitted, "document"),
		ios("karta kontaktu vynechaná", KindMediaOmitted, "contact"),
	},
	"sv": {
		and("<Media har utelämnats>", KindMediaOmitted, ""),
		and("Det här meddelandet raderades", KindDeleted, ""),
		and("Missat röstsamtal", KindCall, ""),
		ios("bild utesluten", KindMediaOmitted, "photo"),
		ios("video utesluten", KindMediaOmitted, "video"),
		ios("ljud utelslutet", KindMediaOmitted, "audio"),
		ios("sticker utesluten", KindMediaOmitted, "sticker"),
		ios("GIF utesluten", KindMediaOmitted, "gif"),
		ios("dokument uteslutet", KindMediaOmitted, "document"),
		ios("kontaktkort uteslutet", KindMediaOmitted, "contact"),
	},
	"da": {
		and("<Mediefil udeladt>", KindMediaOmitted, ""),
		and("Denne besked er blevet slettet", KindDeleted, ""),
		and("Ubesvaret taleopkald", KindCall, ""),
		ios("billede udeladt", KindMediaOmitted, "photo"),
		ios("video udeladt", KindMediaOmitted, "video"),
		ios("lyd udeladt", KindMediaOmitted, "audio"),
		ios("klistermærke udeladt", KindMediaOmitted, "sticker"),
		ios("GIF udeladt", KindMediaOmitted, "gif"),
		ios("dokument udeladt", KindMediaOmitted, "document"),
		ios("kontaktkort udeladt", KindMediaOmitted, "contact"),
	},
	"nb": {
		and("<Uten vedlegg>", KindMediaOmitted, ""),
		and("Denne meldingen ble slettet", KindDeleted, ""),
		and("Tapt taleanrop", KindCall, ""),
		ios("bilde ikke inkludert", KindMediaOmitted, "photo"),
		ios("video utelatt", KindMediaOmitted, "video"),
		ios("lyd utelatt", KindMediaOmitted, "audio"),
		ios("klistremerke utelatt", KindMediaOmitted, "sticker"),
		ios("GIF utelatt", KindMediaOmitted, "gif"),
		ios("utelatt dokument", KindMediaOmitted, "document"),
		ios("kontaktkort sløyfet", KindMediaOmitted, "contact"),
	},
	"fi": {
		and("<Media jätetty pois>", KindMediaOmitted, ""),
		and("Tämä viesti poistettiin", KindDeleted, ""),
		and("Vastaamaton äänipuhelu", KindCall, ""),
		ios("ei kuvaa", KindMediaOmitted, "photo"),
		ios("videota ei sisällytetä", KindMediaOmitted, "video"),
		ios("äänitiedostoa ei sisällytetä", KindMediaOmitted, "audio"),
		ios("tarraa ei sisällytetty", KindMediaOmitted, "sticker"),
		ios("GIF-animaatio jätetty pois", KindMediaOmitted, "gif"),
		ios("dokumenttia ei sisällytetä", KindMediaOmitted, "document"),
		ios("yhteystietokortti jätettiin pois", KindMediaOmitted, "contact"),
	},
	"hu": {
		and("<Hiányzó médiafájl>", KindMediaOmitted, ""),
		and("Ez az üzenet törlésre került", KindDeleted, ""),
		and("Nem fogadott hanghívás", KindCall, ""),
		ios("videó kihagyva", KindMediaOmitted, "video"),
		ios("hang kihagyása", KindMediaOmitted, "audio"),
		ios("matrica kihagyva", KindMediaOmitted, "sticker"),
		ios("GIF fájl kihagyása", KindMediaOmitted, "gif"),
		ios("dokumentum kihagyva", KindMediaOmitted, "document"),
		ios("névjegykártya kihagyva", KindMediaOmitted, "contact"),
	},
	"ro": {
		and("<Conținut media omis>", KindMediaOmitted, ""),
		and("Acest mesaj a fost șters", KindDeleted, ""),
		and("Apel vocal ratat", KindCall, ""),
		ios("imagine omisă", KindMediaOmitted, "photo"),
		ios("clip video omis", KindMediaOmitted, "video"),
		ios("fără audio", KindMediaOmitted, "audio"),
		ios("carte de vizită contact omisă", KindMediaOmitted, "contact"),
	},
	"el": {
		and("<Εξαίρεση πολυμέσων>", KindMediaOmitted, ""),
		and("Αυτό το μήνυμα διαγράφηκε", KindDeleted, ""),
		and("Αναπάντητη φωνητική κλήση", KindCall, ""),
		ios("εικόνα παραλείφθηκε", KindMediaOmitted, "photo"),
		ios("βίντεο παραλείφθηκε", KindMediaOmitted, "video"),
		ios("ήχος παραλείφθηκε", KindMediaOmitted, "audio"),
		ios("αυτοκόλλητο παραλήφθηκε", KindMediaOmitted, "sticker"),
		ios("Παράληψη GIF", KindMediaOmitted, "gif"),
		ios("έγγραφο παραλείφθηκε", KindMediaOmitted, "document"),
		ios("Η κάρτα επαφής παραλήφθηκε", KindMediaOmitted, "contact"),
	},
	"vi": {
		and("<Bỏ qua Media>", KindMediaOmitted, ""),
		and("Tin nhắn này đã bị xóa", KindDeleted, ""),
		and("Cuộc gọi nhỡ", KindCall, ""),
		ios("đã bỏ qua hình ảnh", KindMediaOmitted, "photo"),
		ios("đã bỏ video", KindMediaOmitted, "video"),
		ios("bỏ qua tệp âm thanh", KindMediaOmitted, "audio"),
		ios("đã bỏ sticker", KindMediaOmitted, "sticker"),
		ios("Đã bỏ qua ảnh GIF", KindMediaOmitted, "gif"),
		ios("đã bỏ qua tài liệu", KindMediaOmitted, "document"),
		ios("bỏ qua thẻ liên lạc", KindMediaOmitted, "contact"),
	},
	"th": {
		and("<สื่อถูกลบ>", KindMediaOmitted, ""),
		and("ข้อความนี้ถูกลบแล้ว", KindDeleted, ""),
		and("สายที่ไม่ได้รับ", KindCall, ""),
		ios("ไม่มีรูปภาพ", KindMediaOmitted, "photo"),
		ios("วิดีโอถูกลบ", KindMediaOmitted, "video"),
		ios("ไม่มีไฟล์เสียง", KindMediaOmitted, "audio"),
		ios("ไม่มีสติกเกอร์", KindMediaOmitted, "sticker"),
		ios("ละเว้น GIF", KindMediaOmitted, "gif"),
		ios("ละเว้นเอกสาร", KindMediaOmitted, "document"),
		ios("บัตรรายชื่อที่ละเว้น", KindMediaOmitted, "contact"),
	},
	"ca": {
		and("<Mitjans omesos>", KindMediaOmitted, ""),
		and("Aquest missatge s'ha suprimit", KindDeleted, ""),
		and("Trucada de veu perduda", KindCall, ""),
		ios("imatge omesa", KindMediaOmitted, "photo"),
		ios("vídeo omès", KindMediaOmitted, "video"),
		ios("àudio omès", KindMediaOmitted, "audio"),
		ios("Àudio omès", KindMediaOmitted, "audio"), // capitalised: the tables hold one spelling
		ios("adhesiu omès", KindMediaOmitted, "sticker"),
		ios("GIF omès", KindMediaOmitted, "gif"),
		ios("document omès", KindMediaOmitted, "document"),
		ios("targeta de contacte omesa", KindMediaOmitted, "contact"),
	},
}

// TestPlaceholdersPerLocale reads each placeholder in a whole message line,
// as the export writes it, and checks what the record says it is.
func TestPlaceholdersPerLocale(t *testing.T) {
	locales := make([]string, 0, len(placeholdersByLocale))
	for l := range placeholdersByLocale {
		locales = append(locales, l)
	}
	sort.Strings(locales)
	for _, loc := range locales {
		t.Run(loc, func(t *testing.T) {
			for _, p := range placeholdersByLocale[loc] {
				line := "12/07/2017, 22:35 - Alice: " + p.body
				if p.ios {
					line = "[12/07/2017, 22:35:09] Alice: " + lrm + p.body
				}
				r := one(t, line)
				media := ""
				if r.Attachment != nil {
					media = r.Attachment.Kind
				}
				if r.Kind != p.kind || media != p.media || r.Author != "Alice" {
					t.Errorf("%q: kind %s media %q author %q, want %s %q by Alice", line, r.Kind, media, r.Author, p.kind, p.media)
					continue
				}
				wantOmitted := p.kind == KindMediaOmitted || p.kind == KindViewOnce && p.media != ""
				if wantOmitted != (r.Attachment != nil && r.Attachment.Omitted) {
					t.Errorf("%q: attachment %+v, want omitted media", line, r.Attachment)
				}
				if p.kind != KindAttachment && r.Text != "" {
					t.Errorf("%q: text %q left over, want none", line, r.Text)
				}
			}
		})
	}
}

// A document placeholder carries the page count in the singular and the
// plural, in each language's words.
func TestDocumentPagesSingularPlural(t *testing.T) {
	for _, c := range []struct {
		body  string
		pages int
	}{
		{"Notes.pdf • " + lrm + "1 page " + lrm + "document omitted", 1},
		{"Notes.pdf • " + lrm + "12 pages " + lrm + "document omitted", 12},
		{"Notizen.pdf • " + lrm + "1 Seite " + lrm + "Dokument weggelassen", 1},
		{"Notizen.pdf • " + lrm + "3 Seiten " + lrm + "Dokument weggelassen", 3},
		{"Notas.pdf • " + lrm + "2 páginas " + lrm + "documento omitido", 2},
	} {
		r := one(t, "[12/07/2017, 22:35:09] Alice: "+c.body)
		if r.Kind != KindMediaOmitted || r.Attachment == nil || r.Attachment.Kind != "document" || r.Attachment.Pages != c.pages || !strings.HasSuffix(r.Attachment.FileName, ".pdf") {
			t.Errorf("%q: kind %s attachment %+v, want an omitted document of %d pages", c.body, r.Kind, r.Attachment, c.pages)
		}
	}
}

// A placeholder followed by more text is media with a caption on Android,
// while a deleted-message wording followed by more lines is someone's text.
func TestPlaceholderWithMoreLines(t *testing.T) {
	p := parseBytes(t, []byte("12/07/2017, 22:35 - Alice: <Video note omitted>\nfor you\n12/07/2017, 22:36 - Bob: This message was deleted\nor so I thought\n"), Options{})
	if len(p.recs) != 2 {
		t.Fatalf("%d records, want 2", len(p.recs))
	}
	if r := p.recs[0]; r.Kind != KindMediaOmitted || r.Text != "for you" {
		t.Errorf("video note with caption: kind %s text %q", r.Kind, r.Text)
	}
	if r := p.recs[1]; r.Kind != KindText || r.Text != "This message was deleted\nor so I thought" {
		t.Errorf("deleted wording with more lines: kind %s text %q", r.Kind, r.Text)
	}
}
