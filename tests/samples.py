"""A few real sentences in each language a US clinic serves (config.SERVED_LANGUAGES), with
numbers and phone numbers as the handouts print them: what tests/test_fonts.py prints.

Each says the same: call 911 if someone will not wake up; the helpline is free, private and
open 24 hours; do not mix opioids with alcohol. Bold headings print the first sentence.
"""

from __future__ import annotations

SAMPLES: dict[str, str] = {
    "en": "If someone will not wake up, call 911 now. For help with drugs, call 1-800-662-4357: "
          "it is free and private, 24 hours a day. Never mix opioids with alcohol.",
    "es": "Si alguien no despierta, llame al 911 ahora. Para ayuda con las drogas, llame al "
          "1-800-662-4357: es gratis y confidencial, las 24 horas. ¿Dudas? Nunca mezcle "
          "opioides con alcohol; ¡pida ayuda!",
    "zh-Hans": "如果有人叫不醒，请立即拨打 911。需要戒毒帮助，请拨打 1-800-662-4357，全天 24 小时"
               "免费、保密。不要把阿片类药物和酒一起服用。",
    "zh-Hant": "如果有人叫不醒，請立即撥打 911。需要戒毒幫助，請撥打 1-800-662-4357，全天 24 小時"
               "免費、保密。不要把鴉片類藥物和酒一起服用。",
    "vi": "Nếu ai đó không tỉnh dậy, hãy gọi 911 ngay. Để được giúp đỡ về ma túy, hãy gọi "
          "1-800-662-4357: miễn phí và bảo mật, 24 giờ mỗi ngày. Người bệnh không được trộn "
          "thuốc phiện với rượu.",
    "ko": "누군가 깨어나지 않으면 지금 바로 911에 전화하세요. 약물 문제로 도움이 필요하면 "
          "1-800-662-4357로 전화하세요. 24시간 무료이며 비밀이 보장됩니다. 오피오이드를 술과 "
          "함께 먹지 마세요.",
    "tl": "Kung may hindi magising, tumawag agad sa 911. Para sa tulong sa droga, tumawag sa "
          "1-800-662-4357: libre at kumpidensyal ito, 24 na oras araw-araw. Huwag ihalo ang "
          "opioid sa alak, taga-Parañaque ka man o taga-Maynila.",
    "ru": "Если человек не просыпается, сразу звоните 911. Помощь при зависимости: "
          "1-800-662-4357, бесплатно и анонимно, 24 часа в сутки. Ещё раз: не смешивайте "
          "опиоиды с алкоголем.",
    "uk": "Якщо людина не прокидається, негайно телефонуйте 911. Допомога при залежності: "
          "1-800-662-4357, безкоштовно й конфіденційно, цілодобово. Не змішуйте опіоїди з "
          "алкоголем: п’ять хвилин можуть урятувати життя. Ґрунтовно поговоріть із лікарем.",
    "ar": "إذا لم يستيقظ شخص ما، اتصل بالرقم 911 فورًا. للمساعدة في الإدمان، اتصل بالرقم "
          "1-800-662-4357، مجانًا وبسرية، على مدار 24 ساعة. لا تخلط المواد الأفيونية مع الكحول.",
    "fa": "اگر کسی بیدار نمی‌شود، فوراً با 911 تماس بگیرید. برای کمک در ترک اعتیاد با "
          "1-800-662-4357 تماس بگیرید؛ رایگان و محرمانه، ۲۴ ساعته. چند داروی مخدر را با الکل "
          "مصرف نکنید و با پزشک خود گفتگو کنید.",
    "ur": "اگر کوئی شخص نہیں جاگتا تو فوراً 911 پر کال کریں۔ نشے سے چھٹکارے کی مدد کے لیے "
          "1-800-662-4357 پر کال کریں، یہ مفت اور رازدارانہ ہے، چوبیس گھنٹے۔ اپنے ڈاکٹر سے بات "
          "کریں اور بڑی مقدار نہ لیں۔",
    "ht": "Si yon moun pa reveye, rele 911 touswit. Pou èd ak dwòg, rele 1-800-662-4357: li "
          "gratis e konfidansyèl, 24 è sou 24. Pa janm melanje opioyid ak alkòl.",
    "fr": "Si une personne ne se réveille pas, appelez le 911 immédiatement. Pour de l’aide "
          "contre la dépendance, composez le 1-800-662-4357 : c’est gratuit, confidentiel et "
          "ouvert 24 h sur 24. Ne mélangez jamais les opioïdes et l’alcool ; votre cœur en dépend.",
    "pt-BR": "Se alguém não acordar, ligue para o 911 imediatamente. Para ajuda com dependência, "
             "ligue para 1-800-662-4357: é gratuito, confidencial e funciona 24 horas por dia. "
             "Não misture opioides com álcool.",
    "pl": "Jeśli ktoś się nie budzi, natychmiast zadzwoń pod 911. Pomoc w uzależnieniu: "
          "1-800-662-4357, bezpłatnie i poufnie, przez całą dobę. Nie łącz opioidów z "
          "alkoholem, żeby nie zaszkodzić sobie; źle się to kończy.",
    "ja": "意識がない人がいたら、すぐに911に電話してください。薬物の相談は1-800-662-4357へ。"
          "無料・秘密厳守で、24時間対応しています。オピオイドとお酒を一緒に飲まないでください。",
    "hi": "अगर कोई व्यक्ति नहीं जागता, तो तुरंत 911 पर कॉल करें। नशे की लत में मदद के लिए "
          "1-800-662-4357 पर कॉल करें; यह मुफ़्त और गोपनीय है, चौबीसों घंटे। ओपिओइड को शराब के "
          "साथ कभी न मिलाएँ।",
    "bn": "কেউ যদি না জাগে, এখনই 911-এ ফোন করুন। মাদকাসক্তির সাহায্যের জন্য 1-800-662-4357 "
          "নম্বরে ফোন করুন; এটি বিনামূল্যে ও গোপনীয়, ২৪ ঘণ্টা খোলা। ওপিওয়েড কখনো মদের সাথে "
          "মেশাবেন না।",
    "pa": "ਜੇ ਕੋਈ ਵਿਅਕਤੀ ਨਹੀਂ ਜਾਗਦਾ, ਤਾਂ ਤੁਰੰਤ 911 ’ਤੇ ਫ਼ੋਨ ਕਰੋ। ਨਸ਼ੇ ਦੀ ਮਦਦ ਲਈ 1-800-662-4357 ’ਤੇ "
          "ਫ਼ੋਨ ਕਰੋ; ਇਹ ਮੁਫ਼ਤ ਅਤੇ ਗੁਪਤ ਹੈ, ਚੌਵੀ ਘੰਟੇ। ਓਪੀਔਇਡ ਨੂੰ ਸ਼ਰਾਬ ਨਾਲ ਕਦੇ ਨਾ ਮਿਲਾਓ।",
    "gu": "જો કોઈ વ્યક્તિ જાગતી નથી, તો તરત 911 પર ફોન કરો. વ્યસનમાં મદદ માટે 1-800-662-4357 પર "
          "ફોન કરો; આ મફત અને ગુપ્ત છે, ચોવીસે કલાક. ઓપિયોઇડને દારૂ સાથે ક્યારેય ન ભેળવો.",
    "ne": "यदि कोही व्यक्ति ब्युँझिएन भने तुरुन्तै 911 मा फोन गर्नुहोस्। लागूपदार्थ सम्बन्धी "
          "सहयोगका लागि 1-800-662-4357 मा फोन गर्नुहोस्; यो निःशुल्क र गोप्य छ, २४ घण्टा। "
          "ओपियोइडलाई रक्सीसँग कहिल्यै नमिसाउनुहोस्।",
    "am": "አንድ ሰው ካልነቃ ወዲያውኑ ወደ 911 ይደውሉ። ለሱስ እርዳታ ወደ 1-800-662-4357 ይደውሉ፤ "
          "ነፃ እና ሚስጥራዊ ነው፣ በቀን 24 ሰዓት። ኦፒዮይድን ከአልኮል ጋር አይቀላቅሉ።",
    "so": "Haddii qof uusan toosin, isla markiiba wac 911. Caawimaad ku saabsan "
          "maandooriyaha, wac 1-800-662-4357: waa bilaash oo qarsoodi, 24 saacadood maalintii. "
          "Ha isku darin opioid iyo khamri.",
    "my": "တစ်စုံတစ်ယောက် နိုးမလာပါက 911 ကို ချက်ချင်း ဖုန်းဆက်ပါ။ မူးယစ်ဆေးဝါး အကူအညီအတွက် "
          "1-800-662-4357 ကို ဖုန်းဆက်ပါ။ အခမဲ့ဖြစ်ပြီး ၂၄ နာရီ ဖွင့်ထားသည်။ အရက်နှင့် "
          "မရောပါနှင့်။",
    "km": "ប្រសិនបើនរណាម្នាក់មិនភ្ញាក់ សូមទូរស័ព្ទទៅលេខ 911 ភ្លាម។ សម្រាប់ជំនួយពីការញៀនថ្នាំ "
          "សូមទូរស័ព្ទទៅលេខ 1-800-662-4357 ដោយឥតគិតថ្លៃ និងរក្សាការសម្ងាត់ ២៤ ម៉ោង។ "
          "កុំលាយថ្នាំអាភៀនជាមួយស្រា។",
    "hmn": "Yog tias muaj ib tug neeg tsis sawv, hu rau 911 tam sim no. Yog xav tau kev pab "
           "txog yeeb tshuaj, hu rau 1-800-662-4357: pab dawb thiab zais cia, 24 teev ib hnub. "
           "Tsis txhob muab yeeb thiab cawv sib xyaw.",
    "he": "אם מישהו לא מתעורר, התקשרו מיד ל־911. לעזרה בהתמכרות התקשרו ל־1-800-662-4357; "
          "השירות חינמי וחסוי, 24 שעות ביממה. אל תערבבו אופיואידים עם אלכוהול.",
    "el": "Αν κάποιος δεν ξυπνά, καλέστε αμέσως το 911. Για βοήθεια με την εξάρτηση, καλέστε το "
          "1-800-662-4357· είναι δωρεάν και εμπιστευτικό, 24 ώρες το 24ωρο. Μην ανακατεύετε "
          "οπιοειδή με αλκοόλ.",
    "th": "หากมีคนไม่ตื่น ให้โทร 911 ทันที หากต้องการความช่วยเหลือเรื่องยาเสพติด โทร "
          "1-800-662-4357 ฟรีและเป็นความลับ ตลอด 24 ชั่วโมง อย่าใช้ยากลุ่มโอปิออยด์ร่วมกับเหล้า",
}
