"""Demo data for icihub: reference data, a catalogue of courses and one demo account per role.

Plain Python data, loaded by demo/loader.py through the same services staff use, so every record is
validated and audited. Course runs, providers and lengths follow /work/shared/DOMAIN.md (the real runs
of the NATO-ICI Regional Centre in Kuwait); codes, fees, ePrime references, facility codes and all
people, e-mail addresses and telephone numbers are invented for the demo.

Dates: NATO accession dates are those of the Alliance's records (founding members: signature of the
Washington Treaty, 4 April 1949). Bahrain and Qatar joined the ICI in February 2005 and Jordan the
Mediterranean Dialogue in November 1995; for these the day of the month is a placeholder (the 1st).
Saudi Arabia and Oman take part in selected ICI activities only and have no joining date."""

# Partnership frameworks and alliances a nation can belong to.
FRAMEWORKS = [
    {
        "code": "NATO",
        "name_en": "North Atlantic Treaty Organization",
        "name_ar": "حلف شمال الأطلسي (الناتو)",
        "description": "The Allies bound by the North Atlantic Treaty, signed in Washington on 4 April 1949.",
    },
    {
        "code": "PfP",
        "name_en": "Partnership for Peace",
        "name_ar": "الشراكة من أجل السلام",
        "description": (
            "NATO's programme of practical bilateral cooperation with Euro-Atlantic partner countries, "
            "launched in 1994."
        ),
    },
    {
        "code": "MD",
        "name_en": "Mediterranean Dialogue",
        "name_ar": "الحوار المتوسطي",
        "description": (
            "NATO's partnership forum with countries of the Mediterranean region, launched in 1994; Jordan "
            "joined in 1995."
        ),
    },
    {
        "code": "ICI",
        "name_en": "Istanbul Cooperation Initiative",
        "name_ar": "مبادرة إسطنبول للتعاون",
        "description": (
            "Launched at NATO's Istanbul Summit in June 2004 to offer practical bilateral security "
            "cooperation to the countries of the broader Middle East, starting with the members of the Gulf "
            "Cooperation Council. Members: Kuwait, Bahrain, Qatar and the United Arab Emirates; Saudi Arabia "
            "and Oman take part in selected activities."
        ),
    },
    {
        "code": "PatG",
        "name_en": "Partners across the Globe",
        "name_ar": "الشركاء حول العالم",
        "description": (
            "Countries outside NATO's regional partnership frameworks that cooperate with the Alliance "
            "individually, such as Iraq."
        ),
    },
    {
        "code": "GCC",
        "name_en": "Gulf Cooperation Council",
        "name_ar": "مجلس التعاون لدول الخليج العربية",
        "description": (
            "The regional organisation of Bahrain, Kuwait, Oman, Qatar, Saudi Arabia and the United Arab "
            "Emirates, founded in Abu Dhabi on 25 May 1981."
        ),
    },
]

# Nations with their memberships: (framework, status, joined on, left on).
NATIONS = [
    {
        "code": "KWT",
        "name_en": "Kuwait",
        "name_ar": "الكويت",
        "memberships": [("ICI", "member", "2004-12-12", None), ("GCC", "member", "1981-05-25", None)],
    },
    {
        "code": "BHR",
        "name_en": "Bahrain",
        "name_ar": "البحرين",
        "memberships": [("ICI", "member", "2005-02-01", None), ("GCC", "member", "1981-05-25", None)],
    },
    {
        "code": "QAT",
        "name_en": "Qatar",
        "name_ar": "قطر",
        "memberships": [("ICI", "member", "2005-02-01", None), ("GCC", "member", "1981-05-25", None)],
    },
    {
        "code": "ARE",
        "name_en": "United Arab Emirates",
        "name_ar": "الإمارات العربية المتحدة",
        "memberships": [("ICI", "member", "2005-06-22", None), ("GCC", "member", "1981-05-25", None)],
    },
    {
        "code": "SAU",
        "name_en": "Saudi Arabia",
        "name_ar": "المملكة العربية السعودية",
        "memberships": [("ICI", "selected", None, None), ("GCC", "member", "1981-05-25", None)],
    },
    {
        "code": "OMN",
        "name_en": "Oman",
        "name_ar": "سلطنة عُمان",
        "memberships": [("ICI", "selected", None, None), ("GCC", "member", "1981-05-25", None)],
    },
    {"code": "IRQ", "name_en": "Iraq", "name_ar": "العراق", "memberships": [("PatG", "member", None, None)]},
    {
        "code": "JOR",
        "name_en": "Jordan",
        "name_ar": "الأردن",
        "memberships": [("MD", "member", "1995-11-01", None)],
    },
    {
        "code": "USA",
        "name_en": "United States",
        "name_ar": "الولايات المتحدة الأمريكية",
        "memberships": [("NATO", "member", "1949-04-04", None)],
    },
    {
        "code": "GBR",
        "name_en": "United Kingdom",
        "name_ar": "المملكة المتحدة",
        "memberships": [("NATO", "member", "1949-04-04", None)],
    },
    {
        "code": "FRA",
        "name_en": "France",
        "name_ar": "فرنسا",
        "memberships": [("NATO", "member", "1949-04-04", None)],
    },
    {
        "code": "ITA",
        "name_en": "Italy",
        "name_ar": "إيطاليا",
        "memberships": [("NATO", "member", "1949-04-04", None)],
    },
    {
        "code": "NLD",
        "name_en": "Netherlands",
        "name_ar": "هولندا",
        "memberships": [("NATO", "member", "1949-04-04", None)],
    },
    {
        "code": "NOR",
        "name_en": "Norway",
        "name_ar": "النرويج",
        "memberships": [("NATO", "member", "1949-04-04", None)],
    },
    {
        "code": "TUR",
        "name_en": "Türkiye",
        "name_ar": "تركيا",
        "memberships": [("NATO", "member", "1952-02-18", None)],
    },
    {
        "code": "DEU",
        "name_en": "Germany",
        "name_ar": "ألمانيا",
        "memberships": [("NATO", "member", "1955-05-06", None)],
    },
    {
        "code": "ESP",
        "name_en": "Spain",
        "name_ar": "إسبانيا",
        "memberships": [("NATO", "member", "1982-05-30", None)],
    },
    {
        "code": "CZE",
        "name_en": "Czechia",
        "name_ar": "التشيك",
        "memberships": [("NATO", "member", "1999-03-12", None)],
    },
    {
        "code": "HUN",
        "name_en": "Hungary",
        "name_ar": "المجر",
        "memberships": [("NATO", "member", "1999-03-12", None)],
    },
    {
        "code": "POL",
        "name_en": "Poland",
        "name_ar": "بولندا",
        "memberships": [("NATO", "member", "1999-03-12", None)],
    },
]

# The centre, the NATO bodies that teach at it, and partner ministries and organisations.
ORGANISATIONS = [
    {
        "code": "NIRC",
        "name_en": "NATO-Istanbul Cooperation Initiative Regional Centre",
        "name_ar": "المركز الإقليمي لحلف الناتو ومبادرة إسطنبول للتعاون",
        "type": "centre",
        "nation": "KWT",
        "framework": None,
    },
    {
        "code": "JCBRN-COE",
        "name_en": "Joint Chemical, Biological, Radiological and Nuclear Defence Centre of Excellence",
        "name_ar": "مركز التميز المشترك للدفاع الكيميائي والبيولوجي والإشعاعي والنووي",
        "type": "coe",
        "nation": "CZE",
        "framework": "NATO",
    },
    {
        "code": "ENSEC-COE",
        "name_en": "NATO Energy Security Centre of Excellence",
        "name_ar": "مركز التميز لأمن الطاقة التابع لحلف الناتو",
        "type": "coe",
        "nation": None,
        "framework": "NATO",
    },
    {
        "code": "CCDCOE",
        "name_en": "NATO Cooperative Cyber Defence Centre of Excellence",
        "name_ar": "مركز التميز للدفاع السيبراني التعاوني التابع لحلف الناتو",
        "type": "coe",
        "nation": None,
        "framework": "NATO",
    },
    {
        "code": "JALLC",
        "name_en": "Joint Analysis and Lessons Learned Centre",
        "name_ar": "المركز المشترك للتحليل والدروس المستفادة",
        "type": "command",
        "nation": None,
        "framework": "NATO",
    },
    {
        "code": "MARCOM",
        "name_en": "Allied Maritime Command",
        "name_ar": "القيادة البحرية لحلف الناتو",
        "type": "command",
        "nation": None,
        "framework": "NATO",
    },
    {
        "code": "NMIOTC",
        "name_en": "NATO Maritime Interdiction Operational Training Centre",
        "name_ar": "مركز الناتو للتدريب العملياتي على الاعتراض البحري",
        "type": "school",
        "nation": None,
        "framework": "NATO",
    },
    {
        "code": "NSO",
        "name_en": "NATO School Oberammergau",
        "name_ar": "مدرسة الناتو في أوبراميرغاو",
        "type": "school",
        "nation": None,
        "framework": "NATO",
    },
    {
        "code": "NDC",
        "name_en": "NATO Defense College",
        "name_ar": "كلية الدفاع التابعة لحلف الناتو",
        "type": "school",
        "nation": None,
        "framework": "NATO",
    },
    {
        "code": "KWT-MOD",
        "name_en": "Ministry of Defence, State of Kuwait",
        "name_ar": "وزارة الدفاع - دولة الكويت",
        "type": "ministry",
        "nation": "KWT",
        "framework": None,
    },
    {
        "code": "QAT-MOD",
        "name_en": "Ministry of Defence, State of Qatar",
        "name_ar": "وزارة الدفاع - دولة قطر",
        "type": "ministry",
        "nation": "QAT",
        "framework": None,
    },
    {
        "code": "KWT-NG",
        "name_en": "Kuwait National Guard",
        "name_ar": "الحرس الوطني الكويتي",
        "type": "other",
        "nation": "KWT",
        "framework": None,
    },
    {
        "code": "KFF",
        "name_en": "Kuwait Fire Force",
        "name_ar": "قوة الإطفاء العام",
        "type": "other",
        "nation": "KWT",
        "framework": None,
    },
    {
        "code": "GCC-SEC",
        "name_en": "Secretariat General of the Gulf Cooperation Council",
        "name_ar": "الأمانة العامة لمجلس التعاون لدول الخليج العربية",
        "type": "international",
        "nation": None,
        "framework": "GCC",
    },
]

# Disciplines of the centre's programme and their areas; a course code starts with both.
DISCIPLINES = [
    {
        "code": "CBRN",
        "name_en": "CBRN Defence",
        "name_ar": "الدفاع الكيميائي والبيولوجي والإشعاعي والنووي",
        "areas": [
            {
                "code": "AW",
                "name_en": "CBRN Awareness and Non-Proliferation",
                "name_ar": "التوعية بالمخاطر ومنع انتشار أسلحة الدمار الشامل",
            },
            {
                "code": "IC",
                "name_en": "CBRN Incident Command",
                "name_ar": "قيادة الحوادث الكيميائية والبيولوجية والإشعاعية والنووية",
            },
            {
                "code": "FR",
                "name_en": "First Response and Hazardous Materials",
                "name_ar": "الاستجابة الأولى والمواد الخطرة",
            },
        ],
    },
    {
        "code": "CYB",
        "name_en": "Cyber Defence",
        "name_ar": "الدفاع السيبراني",
        "areas": [
            {"code": "AW", "name_en": "Cyber Security Awareness", "name_ar": "التوعية بالأمن السيبراني"},
            {"code": "IR", "name_en": "Cyber Incident Response", "name_ar": "الاستجابة للحوادث السيبرانية"},
            {"code": "LAW", "name_en": "Cyber Law and Policy", "name_ar": "القانون والسياسات السيبرانية"},
        ],
    },
    {
        "code": "ENSEC",
        "name_en": "Energy Security",
        "name_ar": "أمن الطاقة",
        "areas": [
            {
                "code": "CEIP",
                "name_en": "Critical Energy Infrastructure Protection",
                "name_ar": "حماية البنية التحتية الحيوية للطاقة",
            },
            {
                "code": "STR",
                "name_en": "Energy Security Policy and Strategy",
                "name_ar": "سياسات أمن الطاقة واستراتيجياته",
            },
            {
                "code": "OPS",
                "name_en": "Energy in Military Operations",
                "name_ar": "الطاقة في العمليات العسكرية",
            },
        ],
    },
    {
        "code": "CMCEP",
        "name_en": "Crisis Management and Civil Emergency Planning",
        "name_ar": "إدارة الأزمات والتخطيط للطوارئ المدنية",
        "areas": [
            {"code": "CM", "name_en": "Crisis Management", "name_ar": "إدارة الأزمات"},
            {
                "code": "CEP",
                "name_en": "Civil Emergency Planning and Resilience",
                "name_ar": "التخطيط للطوارئ المدنية والصمود",
            },
            {"code": "CIMIC", "name_en": "Civil-Military Cooperation", "name_ar": "التعاون المدني العسكري"},
        ],
    },
    {
        "code": "MAR",
        "name_en": "Maritime Security",
        "name_ar": "الأمن البحري",
        "areas": [
            {"code": "MSO", "name_en": "Maritime Security Operations", "name_ar": "عمليات الأمن البحري"},
            {
                "code": "MIO",
                "name_en": "Maritime Interdiction Operations",
                "name_ar": "عمليات الاعتراض البحري",
            },
            {"code": "MSA", "name_en": "Maritime Situational Awareness", "name_ar": "الوعي بالوضع البحري"},
        ],
    },
    {
        "code": "LL",
        "name_en": "Lessons Learned",
        "name_ar": "الدروس المستفادة",
        "areas": [
            {"code": "CAP", "name_en": "Lessons Learned Capability", "name_ar": "قدرة الدروس المستفادة"},
            {"code": "ANL", "name_en": "Joint Analysis", "name_ar": "التحليل المشترك"},
        ],
    },
    {
        "code": "STRAT",
        "name_en": "Strategic and Political-Military Studies",
        "name_ar": "الدراسات الاستراتيجية والسياسية العسكرية",
        "areas": [
            {"code": "RC", "name_en": "Regional Security Cooperation", "name_ar": "التعاون الأمني الإقليمي"},
            {"code": "SL", "name_en": "Senior Leadership", "name_ar": "القيادة العليا"},
            {"code": "PP", "name_en": "Partnership Programmes", "name_ar": "برامج الشراكة"},
        ],
    },
]

LANGUAGES = [
    {"code": "en", "name_en": "English", "name_ar": "الإنجليزية"},
    {"code": "ar", "name_en": "Arabic", "name_ar": "العربية"},
    {"code": "fr", "name_en": "French", "name_ar": "الفرنسية"},
]

# The catalogue, as NATO's ETOC records a course. Real runs are named in the descriptions.
COURSES = [
    {
        "code": "CBRN-AW-31201",
        "facility_code": "J2-01",
        "title_en": "CBRN Defence Awareness (Distance Learning)",
        "title_ar": "التوعية بالدفاع الكيميائي والبيولوجي والإشعاعي والنووي (تعلم عن بُعد)",
        "institution": "JCBRN-COE",
        "discipline": "CBRN",
        "area": "AW",
        "level": 100,
        "certification": "listed",
        "delivery_method": "dl",
        "aim_en": (
            "To give military and civilian staff a common basic understanding of CBRN threats, hazards and "
            "protective measures before they attend residential CBRN courses."
        ),
        "aim_ar": (
            "تزويد العسكريين والمدنيين بفهم أساسي مشترك للتهديدات والمخاطر الكيميائية والبيولوجية والإشعاعية "
            "والنووية وإجراءات الوقاية منها، قبل التحاقهم بالدورات الحضورية في هذا المجال."
        ),
        "description_en": (
            "A self-paced online module of about twelve hours on the centre's learning platform. It covers "
            "the characteristics of chemical, biological, radiological and nuclear agents, toxic industrial "
            "materials, individual and collective protection, and basic NATO CBRN defence terminology. A "
            "short online test closes the module."
        ),
        "description_ar": (
            "وحدة تعليمية إلكترونية ذاتية الإيقاع مدتها نحو اثنتي عشرة ساعة، تُتاح عبر منصة التعلم الخاصة "
            "بالمركز. وتتناول خصائص العوامل الكيميائية والبيولوجية والإشعاعية والنووية، والمواد الصناعية "
            "السامة، ووسائل الوقاية الفردية والجماعية، والمصطلحات الأساسية للدفاع الكيميائي والبيولوجي "
            "والإشعاعي والنووي في حلف الناتو. وتُختتم الوحدة باختبار قصير عبر الإنترنت."
        ),
        "notes_en": (
            "Available in English and Arabic. Completing the module is a prerequisite for the Comprehensive "
            "CBRN Incident Commanders Course."
        ),
        "notes_ar": (
            "متاحة باللغتين الإنجليزية والعربية. ويُعدّ إتمام هذه الوحدة شرطًا مسبقًا للالتحاق بالدورة "
            "الشاملة لقادة الحوادث الكيميائية والبيولوجية والإشعاعية والنووية."
        ),
        "objectives": [
            (
                "Describe the main characteristics and effects of chemical, biological, radiological and "
                "nuclear agents.",
                "وصف الخصائص والتأثيرات الرئيسية للعوامل الكيميائية والبيولوجية والإشعاعية والنووية.",
            ),
            (
                "Identify the principles of individual and collective protection.",
                "تحديد مبادئ الوقاية الفردية والجماعية.",
            ),
            (
                "Use basic NATO CBRN defence terminology correctly.",
                "استخدام المصطلحات الأساسية للدفاع الكيميائي والبيولوجي والإشعاعي والنووي في حلف الناتو "
                "استخدامًا صحيحًا.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 2,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "PfP", "MD", "ICI", "PatG", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "",
        "rank_max": "",
        "civilians_eligible": True,
        "slp_requirement": "",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Joint CBRN Defence COE",
        "payment_authority_ar": "مركز التميز المشترك للدفاع الكيميائي والبيولوجي والإشعاعي والنووي",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2017-06-04",
        "deactivated_on": None,
    },
    {
        "code": "CBRN-IC-31207",
        "facility_code": "J2-14",
        "title_en": "Comprehensive CBRN Incident Commanders Course",
        "title_ar": "الدورة الشاملة لقادة الحوادث الكيميائية والبيولوجية والإشعاعية والنووية",
        "institution": "JCBRN-COE",
        "discipline": "CBRN",
        "area": "IC",
        "level": 300,
        "certification": "approved",
        "delivery_method": "residential",
        "aim_en": (
            "To prepare incident commanders to lead a multi-agency response to a CBRN incident, from the "
            "first alert to the handover of the site to the recovery authorities."
        ),
        "aim_ar": (
            "إعداد قادة مواقع الحوادث لقيادة استجابة متعددة الجهات لحادث كيميائي أو بيولوجي أو إشعاعي أو "
            "نووي، منذ الإنذار الأول حتى تسليم الموقع إلى جهات التعافي."
        ),
        "description_en": (
            "Held at the centre in Kuwait City and taught by instructors of the Joint CBRN Defence Centre of "
            "Excellence, Vyškov. Lectures on hazard assessment, command and control and inter-agency "
            "coordination alternate with syndicate work and a table-top exercise built on a regional "
            "scenario. The first run, in December 2017, trained fifteen Kuwaiti officers."
        ),
        "description_ar": (
            "تُعقد الدورة في مقر المركز بمدينة الكويت، ويقدمها مدربون من مركز التميز المشترك للدفاع "
            "الكيميائي والبيولوجي والإشعاعي والنووي في مدينة فيشكوف التشيكية. وتتناوب المحاضرات حول تقييم "
            "المخاطر والقيادة والسيطرة والتنسيق بين الجهات مع العمل في مجموعات وتمرين مكتبي مبني على سيناريو "
            "إقليمي. وقد درّبت النسخة الأولى، في ديسمبر 2017، خمسة عشر ضابطًا كويتيًا."
        ),
        "notes_en": (
            "Dress code: uniform for military participants, business attire for civilians. Participants must "
            "complete the CBRN Defence Awareness distance-learning module before arrival. Simultaneous "
            "interpretation into Arabic is provided."
        ),
        "notes_ar": (
            "الزي: الزي العسكري للمشاركين العسكريين، واللباس الرسمي للمدنيين. ويجب على المشاركين إتمام وحدة "
            "التعلم عن بُعد الخاصة بالتوعية بالدفاع الكيميائي والبيولوجي والإشعاعي والنووي قبل الحضور. "
            "وتتوفر ترجمة فورية إلى اللغة العربية."
        ),
        "objectives": [
            (
                "Explain the roles of military and civilian agencies in a national CBRN incident response.",
                "شرح أدوار الجهات العسكرية والمدنية في الاستجابة الوطنية للحوادث الكيميائية والبيولوجية "
                "والإشعاعية والنووية.",
            ),
            (
                "Assess the hazards of an incident site and define its hot, warm and cold zones.",
                "تقييم مخاطر موقع الحادث وتحديد المناطق الساخنة والدافئة والباردة فيه.",
            ),
            (
                "Apply incident command procedures to establish command, control and communications on site.",
                "تطبيق إجراءات قيادة الحوادث لإنشاء منظومة القيادة والسيطرة والاتصالات في الموقع.",
            ),
            (
                "Coordinate detection, decontamination and casualty management with supporting agencies.",
                "تنسيق أعمال الكشف وإزالة التلوث وإدارة الإصابات مع الجهات المساندة.",
            ),
            (
                "Plan the handover of an incident site to the recovery authorities.",
                "التخطيط لتسليم موقع الحادث إلى جهات التعافي.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-2",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "2222",
        "prerequisites": ["CBRN-AW-31201"],
        "eprime_reference": "ACT.2311",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2017-09-03",
        "deactivated_on": None,
    },
    {
        "code": "CBRN-FR-31210",
        "facility_code": "J2-22",
        "title_en": "CBRNe/HAZMAT First Responders Train-the-Trainers Course",
        "title_ar": (
            "دورة تدريب المدربين للمستجيبين الأوائل لحوادث المواد الخطرة والتهديدات الكيميائية والبيولوجية "
            "والإشعاعية والنووية والمتفجرات"
        ),
        "institution": "JCBRN-COE",
        "discipline": "CBRN",
        "area": "FR",
        "level": 200,
        "certification": "listed",
        "delivery_method": "mtt",
        "aim_en": (
            "To qualify Kuwaiti first-responder instructors to teach CBRNe and HAZMAT first-response "
            "procedures within their own services."
        ),
        "aim_ar": (
            "تأهيل مدربين كويتيين من جهات الاستجابة الأولى لتدريس إجراءات الاستجابة الأولى لحوادث المواد "
            "الخطرة والتهديدات الكيميائية والبيولوجية والإشعاعية والنووية والمتفجرات داخل أجهزتهم."
        ),
        "description_en": (
            "A bilateral course tailored for Kuwait and delivered in Kuwait by a mobile training team of the "
            "Joint CBRN Defence COE over six weeks (thirty training days). The first half builds the "
            "technical skills of first response: detection, personal protective equipment, rescue and "
            "decontamination. The second half trains the participants as instructors, who plan lessons and "
            "deliver them to their peers under supervision."
        ),
        "description_ar": (
            "دورة ثنائية مصممة خصيصًا لدولة الكويت، يقدمها في الكويت فريق تدريب متنقل من مركز التميز المشترك "
            "للدفاع الكيميائي والبيولوجي والإشعاعي والنووي على مدى ستة أسابيع (ثلاثين يومًا تدريبيًا). ويركز "
            "النصف الأول على المهارات الفنية للاستجابة الأولى: الكشف، ومعدات الوقاية الشخصية، والإنقاذ، "
            "وإزالة التلوث. ويؤهل النصف الثاني المشاركين بوصفهم مدربين، فيخططون الدروس ويقدمونها لزملائهم "
            "تحت الإشراف."
        ),
        "notes_en": (
            "Nominations come from the Kuwait Fire Force, the Ministry of Defence, the National Guard and "
            "the Ministry of Interior through Kuwait's national point of contact. Participants must be "
            "medically fit to work in full protective equipment."
        ),
        "notes_ar": (
            "يُرشَّح المشاركون من قوة الإطفاء العام ووزارة الدفاع والحرس الوطني ووزارة الداخلية عبر جهة "
            "الاتصال الوطنية في دولة الكويت. ويُشترط أن يكون المشارك لائقًا طبيًا للعمل بمعدات الوقاية "
            "الكاملة."
        ),
        "objectives": [
            (
                "Identify CBRN, explosive and other hazardous materials with field detection equipment.",
                "التعرف على المواد الكيميائية والبيولوجية والإشعاعية والنووية والمتفجرة وغيرها من المواد "
                "الخطرة باستخدام معدات الكشف الميدانية.",
            ),
            (
                "Apply safe procedures for rescue, decontamination and casualty handling in protective equipment.",
                "تطبيق إجراءات آمنة للإنقاذ وإزالة التلوث والتعامل مع المصابين أثناء ارتداء معدات الوقاية.",
            ),
            (
                "Design a lesson plan for a first-response drill.",
                "إعداد خطة درس لتمرين على الاستجابة الأولى.",
            ),
            (
                "Deliver and evaluate a practical training session for first responders.",
                "تقديم حصة تدريبية عملية للمستجيبين الأوائل وتقييمها.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 30,
        "classification": "NU",
        "releasable_to_public": False,
        "releasable_to_frameworks": [],
        "releasable_to_nations": ["KWT"],
        "audience_frameworks": [],
        "audience_nations": ["KWT"],
        "rank_min": "OR-5",
        "rank_max": "OF-3",
        "civilians_eligible": True,
        "slp_requirement": "",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2019-02-03",
        "deactivated_on": None,
    },
    {
        "code": "CYB-AW-32101",
        "facility_code": "N1-05",
        "title_en": "Cyber Security Awareness (Distance Learning)",
        "title_ar": "التوعية بالأمن السيبراني (تعلم عن بُعد)",
        "institution": "NIRC",
        "discipline": "CYB",
        "area": "AW",
        "level": 100,
        "certification": "none",
        "delivery_method": "dl",
        "aim_en": (
            "To make staff of partner ministries aware of common cyber threats and of the everyday practices "
            "that protect their organisation's information and systems."
        ),
        "aim_ar": (
            "توعية العاملين في الوزارات الشريكة بالتهديدات السيبرانية الشائعة وبالممارسات اليومية التي تحمي "
            "معلومات جهاتهم وأنظمتها."
        ),
        "description_en": (
            "An online module in English and Arabic on phishing and social engineering, password and device "
            "hygiene, the safe use of removable media and social networks, and how to report an incident. It "
            "takes about four hours and ends with a short quiz."
        ),
        "description_ar": (
            "وحدة إلكترونية باللغتين الإنجليزية والعربية تتناول التصيد الاحتيالي والهندسة الاجتماعية، "
            "والممارسات السليمة في إدارة كلمات المرور والأجهزة، والاستخدام الآمن لوسائط التخزين المتنقلة "
            "وشبكات التواصل الاجتماعي، وكيفية الإبلاغ عن الحوادث. وتستغرق نحو أربع ساعات، وتُختتم باختبار "
            "قصير."
        ),
        "notes_en": "",
        "notes_ar": "",
        "objectives": [
            (
                "Recognise phishing and social-engineering attempts.",
                "التعرف على محاولات التصيد الاحتيالي والهندسة الاجتماعية.",
            ),
            (
                "Apply basic security practices to passwords, devices and removable media.",
                "تطبيق الممارسات الأمنية الأساسية على كلمات المرور والأجهزة ووسائط التخزين المتنقلة.",
            ),
            (
                "Report a suspected cyber incident through the proper channel.",
                "الإبلاغ عن أي حادث سيبراني مشتبه به عبر القناة المعتمدة.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 1,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "PfP", "MD", "ICI", "PatG", "GCC"],
        "releasable_to_nations": [],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "",
        "rank_max": "",
        "civilians_eligible": True,
        "slp_requirement": "",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2018-01-14",
        "deactivated_on": None,
    },
    {
        "code": "CYB-IR-32107",
        "facility_code": "C3-21",
        "title_en": "Cyber Incident Handling Course",
        "title_ar": "دورة التعامل مع الحوادث السيبرانية",
        "institution": "CCDCOE",
        "discipline": "CYB",
        "area": "IR",
        "level": 200,
        "certification": "selected",
        "delivery_method": "residential",
        "aim_en": (
            "To train technical staff of partner nations to detect, analyse, contain and recover from cyber "
            "incidents affecting government and defence networks."
        ),
        "aim_ar": (
            "تدريب الكوادر الفنية في الدول الشريكة على كشف الحوادث السيبرانية التي تمس الشبكات الحكومية "
            "والدفاعية وتحليلها واحتوائها والتعافي منها."
        ),
        "description_en": (
            "A hands-on course held at the centre with instructors from the NATO Cooperative Cyber Defence "
            "COE. Participants work in teams on a virtual network under attack and move through the "
            "incident-handling cycle from detection to lessons identified. Each day ends with a debrief on "
            "the teams' decisions."
        ),
        "description_ar": (
            "دورة تطبيقية تُعقد في المركز بمشاركة مدربين من مركز التميز للدفاع السيبراني التعاوني التابع "
            "لحلف الناتو. ويعمل المشاركون في فرق على شبكة افتراضية تتعرض لهجوم، متدرجين عبر مراحل التعامل مع "
            "الحادث من الكشف حتى تحديد الدروس. ويُختتم كل يوم بجلسة لمراجعة قرارات الفرق."
        ),
        "notes_en": (
            "Participants need a working knowledge of networking and of Windows and Linux administration. "
            "The centre provides the laptops."
        ),
        "notes_ar": (
            "يُشترط إلمام المشاركين بأساسيات الشبكات وبإدارة نظامي ويندوز ولينكس. ويوفر المركز أجهزة الحاسوب المحمولة."
        ),
        "objectives": [
            (
                "Explain the phases of the incident-handling cycle.",
                "شرح مراحل التعامل مع الحوادث السيبرانية.",
            ),
            (
                "Analyse logs and network traffic to detect signs of compromise.",
                "تحليل السجلات وحركة البيانات على الشبكة لاكتشاف مؤشرات الاختراق.",
            ),
            (
                "Apply containment and eradication measures to an infected network.",
                "تطبيق إجراءات الاحتواء والإزالة على شبكة مصابة.",
            ),
            (
                "Coordinate incident response with national and partner response teams.",
                "تنسيق الاستجابة للحوادث مع فرق الاستجابة الوطنية والشريكة.",
            ),
            (
                "Write an incident report that supports lessons learned.",
                "كتابة تقرير عن الحادث يدعم استخلاص الدروس المستفادة.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OR-6",
        "rank_max": "OF-4",
        "civilians_eligible": True,
        "slp_requirement": "3232",
        "prerequisites": ["CYB-AW-32101"],
        "eprime_reference": "ACT.2407",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2018-10-07",
        "deactivated_on": None,
    },
    {
        "code": "CYB-LAW-32115",
        "facility_code": "C3-08",
        "title_en": "International Law of Cyber Operations Course",
        "title_ar": "دورة القانون الدولي للعمليات السيبرانية",
        "institution": "CCDCOE",
        "discipline": "CYB",
        "area": "LAW",
        "level": 300,
        "certification": "approved",
        "delivery_method": "residential",
        "aim_en": (
            "To give legal advisers and policy staff a working understanding of how international law "
            "applies to the activity of states in cyberspace."
        ),
        "aim_ar": (
            "تمكين المستشارين القانونيين والعاملين في مجال السياسات من فهم عملي لكيفية انطباق القانون الدولي "
            "على أنشطة الدول في الفضاء السيبراني."
        ),
        "description_en": (
            "The course examines sovereignty, due diligence, the use of force, self-defence and the law of "
            "armed conflict as they apply to cyber operations. Through case studies and a legal table-top "
            "exercise, participants advise a commander and a ministry on realistic incidents."
        ),
        "description_ar": (
            "تتناول الدورة مبادئ السيادة والعناية الواجبة واستخدام القوة والدفاع عن النفس وقانون النزاعات "
            "المسلحة من حيث انطباقها على العمليات السيبرانية. ويقدم المشاركون، من خلال دراسات حالة وتمرين "
            "قانوني مكتبي، المشورة إلى قائد عسكري وإلى وزارة بشأن حوادث واقعية."
        ),
        "notes_en": ("Held in Tallinn, Estonia. Pre-study: a reading pack is sent four weeks before the course."),
        "notes_ar": (
            "تُعقد الدورة في مدينة تالين بإستونيا. دراسة تمهيدية: تُرسل إلى المشاركين مجموعة من القراءات قبل "
            "بدء الدورة بأربعة أسابيع."
        ),
        "objectives": [
            (
                "Explain how the principles of sovereignty and non-intervention apply in cyberspace.",
                "شرح كيفية انطباق مبدأي السيادة وعدم التدخل في الفضاء السيبراني.",
            ),
            (
                "Analyse when a cyber operation may amount to a use of force or an armed attack.",
                "تحليل الحالات التي قد ترقى فيها العملية السيبرانية إلى استخدام للقوة أو إلى هجوم مسلح.",
            ),
            (
                "Apply the law of armed conflict to the targeting of cyber infrastructure.",
                "تطبيق قانون النزاعات المسلحة على استهداف البنية التحتية السيبرانية.",
            ),
            (
                "Advise decision-makers on lawful responses to hostile cyber operations.",
                "تقديم المشورة لصناع القرار بشأن الردود المشروعة على العمليات السيبرانية العدائية.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "PfP", "MD", "ICI", "PatG", "GCC"],
        "releasable_to_nations": [],
        "audience_frameworks": ["ICI", "GCC", "MD"],
        "audience_nations": [],
        "rank_min": "OF-2",
        "rank_max": "OF-6",
        "civilians_eligible": True,
        "slp_requirement": "3333",
        "prerequisites": [],
        "eprime_reference": "ACT.2415",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "560.00",
        "meals_fee_eur": "250.00",
        "payment_authority": "Sending nation",
        "payment_authority_ar": "الدولة المُرسِلة",
        "level1_evaluation": True,
        "level2_test": False,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2019-03-03",
        "deactivated_on": None,
    },
    {
        "code": "ENSEC-CEIP-33102",
        "facility_code": "E1-12",
        "title_en": "Critical Energy Infrastructure Protection Course",
        "title_ar": "دورة حماية البنية التحتية الحيوية للطاقة",
        "institution": "ENSEC-COE",
        "discipline": "ENSEC",
        "area": "CEIP",
        "level": 200,
        "certification": "selected",
        "delivery_method": "residential",
        "aim_en": (
            "To improve the ability of partner nations to protect critical energy infrastructure against "
            "physical, cyber and hybrid threats, and to restore it quickly after a disruption."
        ),
        "aim_ar": (
            "تعزيز قدرة الدول الشريكة على حماية البنية التحتية الحيوية للطاقة من التهديدات المادية "
            "والسيبرانية والهجينة، واستعادة تشغيلها بسرعة بعد أي تعطل."
        ),
        "description_en": (
            "Developed by the NATO Energy Security COE with the NATO School Oberammergau and other NATO "
            "bodies, and funded by the NATO Science for Peace and Security Programme. Military officers, "
            "civil servants and energy-industry staff study threats to oil and gas facilities, power grids "
            "and maritime energy routes. The first iteration at the centre, in February 2018, gathered more "
            "than thirty participants from across the region."
        ),
        "description_ar": (
            "أعدّ هذه الدورة مركز التميز لأمن الطاقة التابع لحلف الناتو بالتعاون مع مدرسة الناتو في "
            "أوبراميرغاو وجهات أخرى في الحلف، ويموّلها برنامج العلوم من أجل السلام والأمن التابع للناتو. "
            "وتجمع الدورة ضباطًا عسكريين وموظفين حكوميين وعاملين في قطاع الطاقة لدراسة التهديدات التي تواجه "
            "منشآت النفط والغاز وشبكات الكهرباء وممرات نقل الطاقة البحرية. وقد شارك في النسخة الأولى "
            "بالمركز، في فبراير 2018، أكثر من ثلاثين مشاركًا من دول المنطقة."
        ),
        "notes_en": (
            "Funded by the NATO SPS Programme: tuition, accommodation and meals are covered for partner "
            "participants; sending nations pay for travel."
        ),
        "notes_ar": (
            "بتمويل من برنامج العلوم من أجل السلام والأمن التابع للناتو: تُغطّى تكاليف الدراسة والإقامة "
            "والوجبات للمشاركين من الدول الشريكة، وتتحمل الدول المرسِلة تكاليف السفر."
        ),
        "objectives": [
            (
                "Explain the interdependencies of critical energy infrastructure and the cascading effects "
                "of its disruption.",
                "شرح الترابط بين مكونات البنية التحتية الحيوية للطاقة والآثار المتتالية لتعطلها.",
            ),
            (
                "Assess physical, cyber and hybrid threats to energy facilities.",
                "تقييم التهديدات المادية والسيبرانية والهجينة التي تواجه منشآت الطاقة.",
            ),
            (
                "Apply risk-management methods to set priorities for protective measures.",
                "تطبيق أساليب إدارة المخاطر لتحديد أولويات إجراءات الحماية.",
            ),
            (
                "Develop public-private coordination arrangements for incident response and recovery.",
                "وضع ترتيبات للتنسيق بين القطاعين العام والخاص في مجالي الاستجابة للحوادث والتعافي منها.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "PfP", "MD", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-2",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "3232",
        "prerequisites": [],
        "eprime_reference": "ACT.1874",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "NATO SPS Programme",
        "payment_authority_ar": "برنامج الناتو للعلوم من أجل السلام والأمن",
        "level1_evaluation": True,
        "level2_test": False,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2018-01-07",
        "deactivated_on": None,
    },
    {
        "code": "ENSEC-STR-33110",
        "facility_code": "E1-03",
        "title_en": "Energy Security Strategic Awareness Course",
        "title_ar": "دورة التوعية الاستراتيجية بأمن الطاقة",
        "institution": "ENSEC-COE",
        "discipline": "ENSEC",
        "area": "STR",
        "level": 100,
        "certification": "listed",
        "delivery_method": "blended",
        "aim_en": (
            "To give senior staff an overview of how energy supply, markets and technology shape national "
            "and regional security."
        ),
        "aim_ar": (
            "تزويد كبار الموظفين بنظرة شاملة إلى أثر إمدادات الطاقة وأسواقها وتقنياتها في الأمن الوطني والإقليمي."
        ),
        "description_en": (
            "A short blended course: an online reading phase followed by three days of seminars at the "
            "centre. Topics include the geopolitics of energy in the Gulf, the energy transition, the energy "
            "dependence of armed forces and NATO's role in energy security."
        ),
        "description_ar": (
            "دورة مدمجة قصيرة تبدأ بمرحلة قراءة عبر الإنترنت، تليها ثلاثة أيام من الحلقات النقاشية في "
            "المركز. ومن موضوعاتها الجغرافيا السياسية للطاقة في منطقة الخليج، والتحول في قطاع الطاقة، "
            "واعتماد القوات المسلحة على الطاقة، ودور حلف الناتو في أمن الطاقة."
        ),
        "notes_en": "",
        "notes_ar": "",
        "objectives": [
            (
                "Describe the main trends in global energy markets and their security implications for the "
                "Gulf region.",
                "وصف الاتجاهات الرئيسية في أسواق الطاقة العالمية وانعكاساتها الأمنية على منطقة الخليج.",
            ),
            (
                "Explain NATO's role and policy in energy security.",
                "شرح دور حلف الناتو وسياسته في مجال أمن الطاقة.",
            ),
            (
                "Evaluate the energy dependence of military operations.",
                "تقييم مدى اعتماد العمليات العسكرية على الطاقة.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 4,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "PfP", "MD", "ICI", "PatG", "GCC"],
        "releasable_to_nations": [],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-4",
        "rank_max": "OF-7",
        "civilians_eligible": True,
        "slp_requirement": "3232",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": False,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2020-09-06",
        "deactivated_on": None,
    },
    {
        "code": "CMCEP-CM-34101",
        "facility_code": "N1-11",
        "title_en": "Regional Crisis Management Course",
        "title_ar": "دورة إدارة الأزمات الإقليمية",
        "institution": "NIRC",
        "discipline": "CMCEP",
        "area": "CM",
        "level": 200,
        "certification": "listed",
        "delivery_method": "residential",
        "aim_en": (
            "To prepare officers and officials to take part in national and multinational crisis management, "
            "from early warning through response to recovery."
        ),
        "aim_ar": (
            "إعداد الضباط والمسؤولين للمشاركة في إدارة الأزمات على المستويين الوطني والمتعدد الجنسيات، بدءًا "
            "من الإنذار المبكر، ومرورًا بالاستجابة، وانتهاءً بالتعافي."
        ),
        "description_en": (
            "Run by the centre with lecturers from NATO Headquarters and Gulf institutions. The course "
            "introduces the concepts of crisis management, compares NATO's approach with national "
            "arrangements in the region, and closes with a two-day exercise in which syndicates manage an "
            "escalating regional crisis."
        ),
        "description_ar": (
            "يُنظّم المركز هذه الدورة بمشاركة محاضرين من مقر حلف الناتو ومن مؤسسات خليجية. وتعرّف الدورة "
            "بمفاهيم إدارة الأزمات، وتقارن نهج الناتو بالترتيبات الوطنية المعمول بها في المنطقة، وتُختتم "
            "بتمرين مدته يومان تتولى فيه مجموعات العمل إدارة أزمة إقليمية متصاعدة."
        ),
        "notes_en": "Dress code: uniform for military participants, business attire for civilians.",
        "notes_ar": "الزي: الزي العسكري للمشاركين العسكريين، واللباس الرسمي للمدنيين.",
        "objectives": [
            (
                "Explain the phases of crisis management and the actors involved in each.",
                "شرح مراحل إدارة الأزمات والجهات المعنية في كل مرحلة.",
            ),
            (
                "Compare NATO crisis management arrangements with national arrangements in the Gulf region.",
                "مقارنة ترتيبات حلف الناتو لإدارة الأزمات بالترتيبات الوطنية في منطقة الخليج.",
            ),
            (
                "Apply a structured decision-making process under time pressure.",
                "تطبيق منهجية منظمة لاتخاذ القرار تحت ضغط الوقت.",
            ),
            (
                "Prepare a crisis situation report and consistent public information messages.",
                "إعداد تقرير عن الموقف خلال الأزمة، وصياغة رسائل إعلامية موحدة موجهة إلى الجمهور.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "MD", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-2",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "2222",
        "prerequisites": [],
        "eprime_reference": "ACT.2233",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2017-03-05",
        "deactivated_on": None,
    },
    {
        "code": "CMCEP-CM-34118",
        "facility_code": "M4-61",
        "title_en": "NATO Crisis Response System Course (NATO only)",
        "title_ar": "دورة منظومة الاستجابة للأزمات في حلف الناتو (لدول الحلف فقط)",
        "institution": "NSO",
        "discipline": "CMCEP",
        "area": "CM",
        "level": 300,
        "certification": "approved",
        "delivery_method": "residential",
        "aim_en": (
            "To train NATO staff officers in the NATO Crisis Response System and in their part in the "
            "Alliance's crisis management process."
        ),
        "aim_ar": (
            "تدريب ضباط الأركان في حلف الناتو على منظومة الحلف للاستجابة للأزمات وعلى دورهم في عملية إدارة "
            "الأزمات في الحلف."
        ),
        "description_en": (
            "Held at the NATO School Oberammergau. The course follows the NATO Crisis Management Process and "
            "the Crisis Response System Manual through a crisis scenario, from indications and warning to "
            "the activation of response measures. It uses classified NATO documents and is open to nationals "
            "of NATO member states only."
        ),
        "description_ar": (
            "تُعقد الدورة في مدرسة الناتو في أوبراميرغاو. وتتتبع عملية إدارة الأزمات في الحلف ودليل منظومة "
            "الاستجابة للأزمات من خلال سيناريو أزمة، بدءًا من المؤشرات والإنذار وانتهاءً بتفعيل إجراءات "
            "الاستجابة. وتستخدم الدورة وثائق مصنفة خاصة بالحلف، ولذلك تقتصر على مواطني الدول الأعضاء فيه."
        ),
        "notes_en": (
            "A NATO security clearance is required; the clearance certificate must reach the school before "
            "arrival. Pre-study on the school's learning platform."
        ),
        "notes_ar": (
            "يُشترط حصول المشارك على تصريح أمني من حلف الناتو، ويجب أن تصل شهادة التصريح إلى المدرسة قبل "
            "الحضور. وتسبق الدورة دراسة تمهيدية عبر منصة التعلم الخاصة بالمدرسة."
        ),
        "objectives": [
            (
                "Explain the NATO Crisis Management Process and the role of the North Atlantic Council.",
                "شرح عملية إدارة الأزمات في حلف الناتو ودور مجلس شمال الأطلسي فيها.",
            ),
            (
                "Apply the Crisis Response System Manual to select and activate response measures.",
                "تطبيق دليل منظومة الاستجابة للأزمات لاختيار إجراءات الاستجابة وتفعيلها.",
            ),
            (
                "Draft staff products that support Alliance decision-making in a crisis.",
                "صياغة وثائق الأركان التي تدعم اتخاذ القرار في الحلف أثناء الأزمات.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 5,
        "classification": "NR",
        "releasable_to_public": False,
        "releasable_to_frameworks": ["NATO"],
        "releasable_to_nations": [],
        "audience_frameworks": ["NATO"],
        "audience_nations": [],
        "rank_min": "OF-3",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "3333",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "700.00",
        "accommodation_fee_eur": "495.00",
        "meals_fee_eur": "310.00",
        "payment_authority": "Sending nation",
        "payment_authority_ar": "الدولة المُرسِلة",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": True,
        "requires_secure_access": True,
        "active_from": "2017-02-05",
        "deactivated_on": None,
    },
    {
        "code": "CMCEP-CEP-34105",
        "facility_code": "M4-17",
        "title_en": "Civil Emergency Planning and Resilience Course",
        "title_ar": "دورة التخطيط للطوارئ المدنية والصمود",
        "institution": "NSO",
        "discipline": "CMCEP",
        "area": "CEP",
        "level": 200,
        "certification": "selected",
        "delivery_method": "mtt",
        "aim_en": (
            "To help partner nations plan for civil emergencies and strengthen the resilience of essential "
            "services, drawing on NATO's baseline requirements for national resilience."
        ),
        "aim_ar": (
            "مساعدة الدول الشريكة على التخطيط لحالات الطوارئ المدنية وتعزيز صمود الخدمات الأساسية، استنادًا "
            "إلى المتطلبات الأساسية للصمود الوطني التي أقرها حلف الناتو."
        ),
        "description_en": (
            "Delivered at the centre by a mobile training team of the NATO School Oberammergau. The course "
            "covers continuity of government; resilient energy, water and food supply; mass casualties and "
            "large movements of people; and resilient communications. Participants build a civil emergency "
            "plan for a fictional Gulf state and test it in a short exercise."
        ),
        "description_ar": (
            "يقدم الدورة في المركز فريق تدريب متنقل من مدرسة الناتو في أوبراميرغاو. وتتناول استمرارية عمل "
            "الحكومة، وصمود إمدادات الطاقة والمياه والغذاء، والتعامل مع الإصابات الجماعية وحركة النزوح "
            "الواسعة للسكان، وصمود الاتصالات. ويُعدّ المشاركون خطة طوارئ مدنية لدولة خليجية افتراضية، ثم "
            "يختبرونها في تمرين قصير."
        ),
        "notes_en": "",
        "notes_ar": "",
        "objectives": [
            (
                "Explain NATO's baseline requirements for national resilience.",
                "شرح المتطلبات الأساسية للصمود الوطني لدى حلف الناتو.",
            ),
            (
                "Identify the essential services of a state and the critical dependencies between them.",
                "تحديد الخدمات الأساسية للدولة وأوجه الاعتماد الحرجة فيما بينها.",
            ),
            (
                "Develop a civil emergency plan that coordinates civil and military resources.",
                "وضع خطة للطوارئ المدنية تنسق بين الموارد المدنية والعسكرية.",
            ),
            (
                "Evaluate the plan through a scenario-based exercise.",
                "تقييم الخطة من خلال تمرين قائم على سيناريو.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "PfP", "MD", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-2",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "2222",
        "prerequisites": [],
        "eprime_reference": "ACT.1921",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2018-04-01",
        "deactivated_on": None,
    },
    {
        "code": "CMCEP-CIMIC-34120",
        "facility_code": "N1-14",
        "title_en": "Civil-Military Cooperation in Disaster Relief Course",
        "title_ar": "دورة التعاون المدني العسكري في الإغاثة من الكوارث",
        "institution": "NIRC",
        "discipline": "CMCEP",
        "area": "CIMIC",
        "level": 200,
        "certification": "none",
        "delivery_method": "residential",
        "aim_en": (
            "To improve cooperation between armed forces and civilian agencies when the military supports "
            "disaster relief."
        ),
        "aim_ar": (
            "تحسين التعاون بين القوات المسلحة والجهات المدنية عندما تساند القوات العسكرية جهود الإغاثة من الكوارث."
        ),
        "description_en": (
            "A course on the principles of civil-military coordination in humanitarian emergencies, "
            "including the Oslo Guidelines on the use of military assets in disaster relief. From 2025 its "
            "content is taught in the Civil Emergency Planning and Resilience Course."
        ),
        "description_ar": (
            "دورة تتناول مبادئ التنسيق المدني العسكري في حالات الطوارئ الإنسانية، بما في ذلك مبادئ أوسلو "
            "التوجيهية لاستخدام الأصول العسكرية في الإغاثة من الكوارث. واعتبارًا من عام 2025 يُدرَّس محتواها "
            "ضمن دورة التخطيط للطوارئ المدنية والصمود."
        ),
        "notes_en": "Deactivated on 31 December 2024.",
        "notes_ar": "أُوقف العمل بهذه الدورة في 31 ديسمبر 2024.",
        "objectives": [
            (
                "Explain the principles of humanitarian civil-military coordination.",
                "شرح مبادئ التنسيق المدني العسكري في العمل الإنساني.",
            ),
            (
                "Describe when and how military assets may support disaster relief.",
                "وصف الحالات التي يجوز فيها استخدام الأصول العسكرية لدعم الإغاثة من الكوارث، وكيفية ذلك.",
            ),
            (
                "Plan liaison between a military task force and civilian relief agencies.",
                "التخطيط للتواصل والتنسيق بين قوة مهام عسكرية وجهات الإغاثة المدنية.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 4,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "ICI", "GCC"],
        "releasable_to_nations": [],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-1",
        "rank_max": "OF-4",
        "civilians_eligible": True,
        "slp_requirement": "2222",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": False,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2018-03-04",
        "deactivated_on": "2024-12-31",
    },
    {
        "code": "MAR-MSO-35102",
        "facility_code": "MC1-24",
        "title_en": "Maritime Security Course (Mobile Training Team)",
        "title_ar": "دورة الأمن البحري (فريق تدريب متنقل)",
        "institution": "MARCOM",
        "discipline": "MAR",
        "area": "MSO",
        "level": 200,
        "certification": "listed",
        "delivery_method": "mtt",
        "aim_en": (
            "To strengthen maritime security cooperation between NATO and the Gulf states by building a "
            "shared understanding of maritime threats, law and operations."
        ),
        "aim_ar": (
            "تعزيز التعاون في مجال الأمن البحري بين حلف الناتو ودول الخليج من خلال بناء فهم مشترك للتهديدات "
            "البحرية والقانون البحري والعمليات البحرية."
        ),
        "description_en": (
            "Delivered at the centre by a mobile training team from NATO Allied Maritime Command, Northwood. "
            "Topics include maritime situational awareness, the law of the sea, counter-piracy and "
            "counter-smuggling operations, and the protection of shipping and offshore infrastructure. The "
            "June 2024 iteration brought together officers from Bahrain, Kuwait, Qatar, Saudi Arabia and "
            "Oman and staff of the GCC Secretariat General."
        ),
        "description_ar": (
            "يقدم الدورة في المركز فريق تدريب متنقل من القيادة البحرية لحلف الناتو في نورثوود. ومن موضوعاتها "
            "الوعي بالوضع البحري، وقانون البحار، وعمليات مكافحة القرصنة والتهريب، وحماية الملاحة والمنشآت "
            "البحرية. وقد جمعت نسخة يونيو 2024 ضباطًا من البحرين والكويت وقطر والمملكة العربية السعودية "
            "وسلطنة عُمان، إلى جانب موظفين من الأمانة العامة لمجلس التعاون لدول الخليج العربية."
        ),
        "notes_en": "Dress code: naval uniform for military participants, business attire for civilians.",
        "notes_ar": "الزي: الزي البحري للمشاركين العسكريين، واللباس الرسمي للمدنيين.",
        "objectives": [
            (
                "Explain the main maritime security threats in the Gulf and adjacent waters.",
                "شرح أبرز التهديدات التي تواجه الأمن البحري في الخليج والمياه المجاورة.",
            ),
            (
                "Apply the law of the sea to maritime security operations.",
                "تطبيق قانون البحار على عمليات الأمن البحري.",
            ),
            (
                "Describe how maritime situational awareness is built and shared between partners.",
                "وصف كيفية بناء الوعي بالوضع البحري وتبادله بين الشركاء.",
            ),
            (
                "Plan a combined maritime security operation with partner navies.",
                "التخطيط لعملية أمن بحري مشتركة مع القوات البحرية الشريكة.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": ["BHR", "KWT", "QAT", "SAU", "OMN"],
        "rank_min": "OF-2",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "3232",
        "prerequisites": [],
        "eprime_reference": "ACT.2650",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2024-01-14",
        "deactivated_on": None,
    },
    {
        "code": "MAR-MIO-35110",
        "facility_code": "S2-31",
        "title_en": "Maritime Interdiction Operations Course",
        "title_ar": "دورة عمليات الاعتراض البحري",
        "institution": "NMIOTC",
        "discipline": "MAR",
        "area": "MIO",
        "level": 200,
        "certification": "approved",
        "delivery_method": "mtt",
        "aim_en": (
            "To train GCC naval and coast guard personnel to plan and conduct maritime interdiction "
            "operations, including boarding, search and seizure."
        ),
        "aim_ar": (
            "تدريب منتسبي القوات البحرية وخفر السواحل في دول مجلس التعاون على تخطيط عمليات الاعتراض البحري "
            "وتنفيذها، بما في ذلك الصعود إلى السفن وتفتيشها وضبط حمولاتها."
        ),
        "description_en": (
            "Delivered by the NATO Maritime Interdiction Operational Training Centre, Souda Bay, whose "
            "instructors travel to the region. Lectures on the legal basis of interdiction are combined with "
            "practical drills in boarding-team tactics, search procedures, evidence handling and the "
            "detection of illicit cargo."
        ),
        "description_ar": (
            "يقدم الدورة مركز الناتو للتدريب العملياتي على الاعتراض البحري في خليج سودا، إذ ينتقل مدربوه إلى "
            "المنطقة. وتجمع الدورة بين محاضرات عن الأساس القانوني لعمليات الاعتراض وتدريبات عملية على أساليب "
            "عمل فرق الصعود، وإجراءات التفتيش، والتعامل مع الأدلة، وكشف الشحنات غير المشروعة."
        ),
        "notes_en": "Participants bring their own working dress and safety boots for the practical sessions.",
        "notes_ar": "يُحضر المشاركون زي العمل الخاص بهم وأحذية السلامة للحصص العملية.",
        "objectives": [
            (
                "Explain the legal framework of maritime interdiction operations.",
                "شرح الإطار القانوني لعمليات الاعتراض البحري.",
            ),
            (
                "Plan a boarding operation, including risk assessment and team organisation.",
                "التخطيط لعملية صعود إلى سفينة، بما في ذلك تقييم المخاطر وتنظيم الفريق.",
            ),
            (
                "Apply search procedures to detect illicit cargo and persons.",
                "تطبيق إجراءات التفتيش لكشف الشحنات غير المشروعة والأشخاص المخالفين.",
            ),
            (
                "Handle and document evidence so that it supports legal proceedings.",
                "التعامل مع الأدلة وتوثيقها بما يدعم الإجراءات القانونية.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["GCC"],
        "audience_nations": [],
        "rank_min": "OR-5",
        "rank_max": "OF-4",
        "civilians_eligible": False,
        "slp_requirement": "2222",
        "prerequisites": [],
        "eprime_reference": "ACT.2088",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2019-10-06",
        "deactivated_on": None,
    },
    {
        "code": "MAR-MSA-35118",
        "facility_code": "MC1-31",
        "title_en": "Maritime Situational Awareness Course (NATO only)",
        "title_ar": "دورة الوعي بالوضع البحري (لدول الحلف فقط)",
        "institution": "MARCOM",
        "discipline": "MAR",
        "area": "MSA",
        "level": 300,
        "certification": "approved",
        "delivery_method": "residential",
        "aim_en": (
            "To train NATO maritime staff to build, fuse and share the recognised maritime picture with "
            "Alliance systems."
        ),
        "aim_ar": (
            "تدريب ضباط الأركان البحريين في حلف الناتو على بناء الصورة البحرية المعتمدة ودمج مصادرها "
            "وتبادلها باستخدام أنظمة الحلف."
        ),
        "description_en": (
            "Held at Allied Maritime Command, Northwood. Participants use NATO maritime command and control "
            "systems with live and simulated data to compile and disseminate the recognised maritime "
            "picture. Because it uses classified systems and data, the course is open to nationals of NATO "
            "member states only."
        ),
        "description_ar": (
            "تُعقد الدورة في مقر القيادة البحرية لحلف الناتو في نورثوود. ويستخدم المشاركون أنظمة القيادة "
            "والسيطرة البحرية التابعة للحلف ببيانات حية وأخرى محاكاة لإعداد الصورة البحرية المعتمدة ونشرها. "
            "ولأن الدورة تعتمد على أنظمة وبيانات مصنفة، فهي تقتصر على مواطني الدول الأعضاء في الحلف."
        ),
        "notes_en": (
            "A NATO security clearance and an account on the Alliance's classified network are required before arrival."
        ),
        "notes_ar": ("يُشترط حصول المشارك على تصريح أمني من حلف الناتو وحساب على شبكة الحلف المصنفة قبل الحضور."),
        "objectives": [
            (
                "Explain the sources and structure of the recognised maritime picture.",
                "شرح مصادر الصورة البحرية المعتمدة وبنيتها.",
            ),
            (
                "Operate NATO maritime command and control systems to track and identify contacts.",
                "تشغيل أنظمة القيادة والسيطرة البحرية في الحلف لتتبع الأهداف البحرية وتحديد هويتها.",
            ),
            (
                "Fuse information from several sources into a single maritime picture.",
                "دمج المعلومات الواردة من مصادر متعددة في صورة بحرية موحدة.",
            ),
            (
                "Disseminate maritime situational awareness products to commands and Allies.",
                "نشر منتجات الوعي بالوضع البحري على القيادات والدول الحليفة.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 5,
        "classification": "NR",
        "releasable_to_public": False,
        "releasable_to_frameworks": ["NATO"],
        "releasable_to_nations": [],
        "audience_frameworks": ["NATO"],
        "audience_nations": [],
        "rank_min": "OR-6",
        "rank_max": "OF-4",
        "civilians_eligible": False,
        "slp_requirement": "3333",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "850.00",
        "meals_fee_eur": "300.00",
        "payment_authority": "Sending nation",
        "payment_authority_ar": "الدولة المُرسِلة",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": True,
        "requires_secure_access": True,
        "active_from": "2019-01-13",
        "deactivated_on": None,
    },
    {
        "code": "LL-CAP-36101",
        "facility_code": "JA-7",
        "title_en": "NATO Lessons Learned Capability Course",
        "title_ar": "دورة حلف الناتو لبناء قدرات الدروس المستفادة",
        "institution": "JALLC",
        "discipline": "LL",
        "area": "CAP",
        "level": 200,
        "certification": "selected",
        "delivery_method": "mtt",
        "aim_en": (
            "To help partner nations build or strengthen a lessons learned capability in their armed forces "
            "and ministries."
        ),
        "aim_ar": (
            "مساعدة الدول الشريكة على بناء قدرة للدروس المستفادة في قواتها المسلحة ووزاراتها أو تعزيز هذه القدرة."
        ),
        "description_en": (
            "Taught at the centre by the NATO Joint Analysis and Lessons Learned Centre, Lisbon. The course "
            "explains the NATO lessons learned process, the role of lessons learned staff and the tools that "
            "support them, and how the Alliance shares lessons with partners. The April 2019 iteration "
            "trained twenty-six participants from Kuwait, Qatar, the United Arab Emirates and Saudi Arabia."
        ),
        "description_ar": (
            "يقدم هذه الدورة المركز المشترك للتحليل والدروس المستفادة التابع لحلف الناتو في لشبونة، وتُعقد "
            "في مقر المركز الإقليمي بالكويت. وتشرح الدورة عملية الدروس المستفادة في الحلف، ودور العاملين في "
            "هذا المجال والأدوات التي تدعمهم، وكيفية تبادل الحلف للدروس مع شركائه. وقد درّبت نسخة أبريل 2019 "
            "ستة وعشرين مشاركًا من الكويت وقطر والإمارات العربية المتحدة والمملكة العربية السعودية."
        ),
        "notes_en": (
            "Participants should hold a post in a lessons learned or analysis branch, or be tasked with setting one up."
        ),
        "notes_ar": (
            "يُفضَّل أن يشغل المشارك وظيفة في فرع للدروس المستفادة أو التحليل، أو أن يكون مكلفًا بإنشاء فرع من هذا النوع."
        ),
        "objectives": [
            (
                "Explain the NATO lessons learned process from observation to lesson learned.",
                "شرح عملية الدروس المستفادة في حلف الناتو، من رصد الملاحظة حتى اعتماد الدرس المستفاد.",
            ),
            (
                "Write observations that can be analysed and acted upon.",
                "صياغة ملاحظات قابلة للتحليل والمعالجة.",
            ),
            (
                "Describe the structure and staffing of a lessons learned capability.",
                "وصف هيكل قدرة الدروس المستفادة وملاكها الوظيفي.",
            ),
            (
                "Apply the process to a lesson from a recent exercise in the participant's own organisation.",
                "تطبيق هذه العملية على درس مستمد من تمرين حديث في الجهة التي ينتمي إليها المشارك.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 4,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "PfP", "MD", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-2",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "3232",
        "prerequisites": [],
        "eprime_reference": "ACT.1706",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": True,
        "seat_allocation_method": "adams",
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2018-02-04",
        "deactivated_on": None,
    },
    {
        "code": "LL-ANL-36110",
        "facility_code": "JA-12",
        "title_en": "NATO Joint Analysis Course (NATO only)",
        "title_ar": "دورة التحليل المشترك في حلف الناتو (لدول الحلف فقط)",
        "institution": "JALLC",
        "discipline": "LL",
        "area": "ANL",
        "level": 300,
        "certification": "approved",
        "delivery_method": "residential",
        "aim_en": (
            "To train NATO analysts to plan and conduct joint analysis projects that support lessons learned "
            "from operations and exercises."
        ),
        "aim_ar": (
            "تدريب محللي حلف الناتو على تخطيط مشاريع التحليل المشترك وتنفيذها دعمًا لاستخلاص الدروس "
            "المستفادة من العمليات والتمارين."
        ),
        "description_en": (
            "Held at the JALLC in Lisbon. Participants plan an analysis project, collect data from "
            "classified operational reporting and the NATO Lessons Learned Portal, and brief their findings "
            "to a mock command group. Open to nationals of NATO member states in lessons learned or analysis "
            "posts."
        ),
        "description_ar": (
            "تُعقد الدورة في مقر المركز المشترك للتحليل والدروس المستفادة في لشبونة. ويخطط المشاركون لمشروع "
            "تحليلي، ويجمعون البيانات من التقارير العملياتية المصنفة ومن بوابة الدروس المستفادة في حلف "
            "الناتو، ثم يعرضون نتائجهم على مجموعة قيادة افتراضية. والدورة مخصصة لمواطني الدول الأعضاء في "
            "الحلف ممن يشغلون وظائف في مجال الدروس المستفادة أو التحليل."
        ),
        "notes_en": "An account on the NATO Lessons Learned Portal is required before the course starts.",
        "notes_ar": ("يُشترط أن يكون لدى المشارك حساب على بوابة الدروس المستفادة في حلف الناتو قبل بدء الدورة."),
        "objectives": [
            (
                "Plan an analysis project, including its questions, data and method.",
                "التخطيط لمشروع تحليلي بما يشمل أسئلته وبياناته ومنهجيته.",
            ),
            (
                "Apply qualitative and quantitative analysis methods to operational data.",
                "تطبيق أساليب التحليل النوعي والكمي على البيانات العملياتية.",
            ),
            (
                "Draw conclusions and recommendations that commanders can act on.",
                "استخلاص استنتاجات وتوصيات قابلة للتنفيذ من جانب القادة.",
            ),
            ("Brief analysis findings to a command group.", "عرض نتائج التحليل على مجموعة القيادة."),
        ],
        "languages": ["en"],
        "duration_days": 5,
        "classification": "NR",
        "releasable_to_public": False,
        "releasable_to_frameworks": ["NATO"],
        "releasable_to_nations": [],
        "audience_frameworks": ["NATO"],
        "audience_nations": [],
        "rank_min": "OF-2",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "3333",
        "prerequisites": ["LL-CAP-36101"],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "540.00",
        "meals_fee_eur": "260.00",
        "payment_authority": "Sending nation",
        "payment_authority_ar": "الدولة المُرسِلة",
        "level1_evaluation": True,
        "level2_test": True,
        "two_step_application": True,
        "requires_secure_access": True,
        "active_from": "2019-05-05",
        "deactivated_on": None,
    },
    {
        "code": "STRAT-RC-37101",
        "facility_code": "R1-10",
        "title_en": "NATO Regional Cooperation Course",
        "title_ar": "دورة التعاون الإقليمي لحلف الناتو",
        "institution": "NDC",
        "discipline": "STRAT",
        "area": "RC",
        "level": 400,
        "certification": "approved",
        "delivery_method": "residential",
        "aim_en": (
            "To give senior officers and officials from NATO and partner nations a shared understanding of "
            "security in the Middle East, North Africa and the Gulf, and of NATO's role in regional "
            "cooperation."
        ),
        "aim_ar": (
            "تزويد كبار الضباط والمسؤولين من دول حلف الناتو والدول الشريكة بفهم مشترك لقضايا الأمن في الشرق "
            "الأوسط وشمال أفريقيا ومنطقة الخليج، ولدور الحلف في التعاون الإقليمي."
        ),
        "description_en": (
            "A ten-week course at the NATO Defense College in Rome, with a field study in the region. "
            "Lectures by senior practitioners and academics, committee discussions and research papers cover "
            "regional conflicts, energy, terrorism, migration and the Alliance's partnerships. Each course "
            "gathers thirty to forty participants from fourteen or fifteen countries."
        ),
        "description_ar": (
            "دورة مدتها عشرة أسابيع في كلية الدفاع التابعة لحلف الناتو في روما، تتضمن زيارة دراسية ميدانية "
            "إلى المنطقة. وتتناول، من خلال محاضرات يلقيها كبار الممارسين والأكاديميين ونقاشات في مجموعات "
            "العمل وأوراق بحثية، النزاعات الإقليمية والطاقة والإرهاب والهجرة وشراكات الحلف. وتضم كل دورة ما "
            "بين ثلاثين وأربعين مشاركًا من أربع عشرة أو خمس عشرة دولة."
        ),
        "notes_en": (
            "Two-step application: the College reviews each national nomination before a seat is confirmed. "
            "Each participant writes a short research paper."
        ),
        "notes_ar": (
            "يتم التقديم على مرحلتين: تراجع الكلية كل ترشيح وطني قبل تأكيد المقعد. ويُعدّ كل مشارك ورقة بحثية قصيرة."
        ),
        "objectives": [
            (
                "Analyse the main security challenges of the Middle East, North Africa and the Gulf.",
                "تحليل أبرز التحديات الأمنية في الشرق الأوسط وشمال أفريقيا ومنطقة الخليج.",
            ),
            (
                "Explain NATO's partnership frameworks and their tools for practical cooperation.",
                "شرح أطر الشراكة في حلف الناتو وأدواتها للتعاون العملي.",
            ),
            (
                "Evaluate options for regional security cooperation between NATO and partner nations.",
                "تقييم خيارات التعاون الأمني الإقليمي بين حلف الناتو والدول الشريكة.",
            ),
            (
                "Present and defend a policy recommendation in an academic paper.",
                "عرض توصية بشأن السياسات في ورقة أكاديمية والدفاع عنها.",
            ),
        ],
        "languages": ["en"],
        "duration_days": 50,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "MD", "ICI", "PatG", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["NATO", "MD", "ICI", "PatG", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-4",
        "rank_max": "OF-6",
        "civilians_eligible": True,
        "slp_requirement": "3333",
        "prerequisites": [],
        "eprime_reference": "ACT.410",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "4200.00",
        "meals_fee_eur": "1900.00",
        "payment_authority": "Sending nation",
        "payment_authority_ar": "الدولة المُرسِلة",
        "level1_evaluation": True,
        "level2_test": False,
        "two_step_application": True,
        "requires_secure_access": False,
        "active_from": "2017-01-23",
        "deactivated_on": None,
    },
    {
        "code": "STRAT-SL-37105",
        "facility_code": "N1-01",
        "title_en": "Senior Leaders Course on NATO-Gulf Security Cooperation",
        "title_ar": "دورة كبار القادة حول التعاون الأمني بين حلف الناتو ودول الخليج",
        "institution": "NIRC",
        "discipline": "STRAT",
        "area": "SL",
        "level": 400,
        "certification": "none",
        "delivery_method": "residential",
        "aim_en": (
            "To bring together senior leaders from the Gulf states and NATO for a frank discussion of shared "
            "security challenges and of ways to deepen practical cooperation."
        ),
        "aim_ar": (
            "جمع كبار القادة من دول الخليج وحلف الناتو في نقاش صريح حول التحديات الأمنية المشتركة وسبل تعميق "
            "التعاون العملي."
        ),
        "description_en": (
            "A short residential course at the centre for general and flag officers, ambassadors and senior "
            "officials. Sessions led by NATO and Gulf speakers are held under the Chatham House Rule and "
            "followed by moderated round tables. The course belongs to the political dialogue side of the "
            "centre's work."
        ),
        "description_ar": (
            "دورة حضورية قصيرة في المركز موجهة إلى الضباط من رتبة عميد فما فوق والسفراء وكبار المسؤولين. "
            "وتُعقد الجلسات، التي يقودها متحدثون من حلف الناتو ودول الخليج، وفق قاعدة تشاتام هاوس، وتعقبها "
            "موائد مستديرة يديرها ميسّرون. وتندرج الدورة ضمن محور الحوار السياسي في عمل المركز."
        ),
        "notes_en": (
            "Attendance is by invitation after nomination; each national delegation is limited to three "
            "members. Simultaneous interpretation between English and Arabic is provided."
        ),
        "notes_ar": (
            "تكون المشاركة بدعوة بعد الترشيح، ولا يتجاوز عدد أعضاء كل وفد وطني ثلاثة. وتتوفر ترجمة فورية بين "
            "اللغتين الإنجليزية والعربية."
        ),
        "objectives": [
            (
                "Discuss the strategic security outlook of the Gulf region with NATO counterparts.",
                "مناقشة الآفاق الأمنية الاستراتيجية لمنطقة الخليج مع النظراء في حلف الناتو.",
            ),
            (
                "Identify priorities for practical cooperation under the Istanbul Cooperation Initiative.",
                "تحديد أولويات التعاون العملي في إطار مبادرة إسطنبول للتعاون.",
            ),
            (
                "Evaluate how national partnership programmes can support those priorities.",
                "تقييم قدرة برامج الشراكة الوطنية على دعم تلك الأولويات.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 4,
        "classification": "NU",
        "releasable_to_public": True,
        "releasable_to_frameworks": ["NATO", "ICI", "GCC"],
        "releasable_to_nations": ["SAU", "OMN"],
        "audience_frameworks": ["NATO", "ICI", "GCC"],
        "audience_nations": [],
        "rank_min": "OF-6",
        "rank_max": "OF-9",
        "civilians_eligible": True,
        "slp_requirement": "",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": False,
        "two_step_application": True,
        "requires_secure_access": False,
        "active_from": "2017-04-02",
        "deactivated_on": None,
    },
    {
        "code": "STRAT-PP-37112",
        "facility_code": "N1-07",
        "title_en": "Individually Tailored Partnership Programme Planning Course",
        "title_ar": "دورة تخطيط برامج الشراكة المصممة خصيصًا لكل دولة",
        "institution": "NIRC",
        "discipline": "STRAT",
        "area": "PP",
        "level": 200,
        "certification": "none",
        "delivery_method": "blended",
        "aim_en": (
            "To train staff officers of ICI nations to prepare, manage and review their nation's "
            "Individually Tailored Partnership Programme with NATO."
        ),
        "aim_ar": (
            "تدريب ضباط الأركان في دول مبادرة إسطنبول للتعاون على إعداد برنامج الشراكة المصمم خصيصًا لدولهم "
            "مع حلف الناتو، وعلى إدارته ومراجعته."
        ),
        "description_en": (
            "A blended course: an online module on NATO's partnership tools, then four days at the centre. "
            "Participants learn how strategic objectives lead to partnership goals and supporting "
            "activities, how activities are requested and tracked in e-PRIME, and how progress is assessed. "
            "Because it draws on the programmes of the participating nations, the course is releasable to "
            "ICI nations only."
        ),
        "description_ar": (
            "دورة مدمجة تبدأ بوحدة إلكترونية عن أدوات الشراكة في حلف الناتو، تليها أربعة أيام في المركز. "
            "ويتعرف المشاركون على كيفية اشتقاق أهداف الشراكة والأنشطة الداعمة من الأهداف الاستراتيجية، "
            "وكيفية طلب الأنشطة ومتابعتها عبر نظام e-PRIME، وكيفية تقييم التقدم المحرز. ولأن الدورة تستند "
            "إلى برامج الدول المشاركة، فإن تداولها يقتصر على دول مبادرة إسطنبول للتعاون."
        ),
        "notes_en": (
            "Participants bring their nation's current partnership programme documents, cleared for use in the course."
        ),
        "notes_ar": (
            "يُحضر المشاركون وثائق برنامج الشراكة الحالي لدولهم بعد الحصول على الموافقة على استخدامها في الدورة."
        ),
        "objectives": [
            (
                "Explain the structure of an Individually Tailored Partnership Programme.",
                "شرح هيكل برنامج الشراكة المصمم خصيصًا لكل دولة.",
            ),
            (
                "Derive partnership goals and supporting activities from national strategic objectives.",
                "اشتقاق أهداف الشراكة والأنشطة الداعمة من الأهداف الاستراتيجية الوطنية.",
            ),
            (
                "Use e-PRIME to request, track and report on partnership activities.",
                "استخدام نظام e-PRIME لطلب أنشطة الشراكة ومتابعتها وإعداد التقارير عنها.",
            ),
            (
                "Assess progress towards partnership goals and propose adjustments.",
                "تقييم التقدم المحرز نحو أهداف الشراكة واقتراح التعديلات اللازمة.",
            ),
        ],
        "languages": ["en", "ar"],
        "duration_days": 5,
        "classification": "NU",
        "releasable_to_public": False,
        "releasable_to_frameworks": ["ICI"],
        "releasable_to_nations": [],
        "audience_frameworks": ["ICI"],
        "audience_nations": [],
        "rank_min": "OF-2",
        "rank_max": "OF-5",
        "civilians_eligible": True,
        "slp_requirement": "2222",
        "prerequisites": [],
        "eprime_reference": "",
        "tuition_fee_eur": "0.00",
        "accommodation_fee_eur": "0.00",
        "meals_fee_eur": "0.00",
        "payment_authority": "Host nation (Kuwait)",
        "payment_authority_ar": "الدولة المضيفة (الكويت)",
        "level1_evaluation": True,
        "level2_test": False,
        "two_step_application": False,
        "requires_secure_access": False,
        "active_from": "2022-01-09",
        "deactivated_on": None,
    },
]

# One demo account per role; the password is set by the loader. The administrator has no organisation: the
# loader creates that account before any reference data exists.
USERS = [
    {
        "username": "admin",
        "role": "centre_admin",
        "first_name": "Abdullah",
        "last_name": "Al-Mutairi",
        "email": "admin@nirc.example",
        "nation": None,
        "organisation": None,
    },
    {
        "username": "registrar",
        "role": "registrar",
        "first_name": "Noura",
        "last_name": "Al-Enezi",
        "email": "registrar@nirc.example",
        "nation": None,
        "organisation": "NIRC",
    },
    {
        "username": "director",
        "role": "course_director",
        "first_name": "Marco",
        "last_name": "Bellini",
        "email": "marco.bellini@nirc.example",
        "nation": None,
        "organisation": "NIRC",
    },
    {
        "username": "instructor",
        "role": "instructor",
        "first_name": "Petra",
        "last_name": "Dvořáková",
        "email": "petra.dvorakova@jcbrncoe.example",
        "nation": None,
        "organisation": "JCBRN-COE",
    },
    {
        "username": "poc-kwt",
        "role": "point_of_contact",
        "first_name": "Khalid",
        "last_name": "Al-Ajmi",
        "email": "khalid.alajmi@mod.kw.example",
        "nation": "KWT",
        "organisation": None,
    },
    {
        "username": "poc-qat",
        "role": "point_of_contact",
        "first_name": "Hamad",
        "last_name": "Al-Marri",
        "email": "hamad.almarri@mod.qa.example",
        "nation": "QAT",
        "organisation": None,
    },
    {
        "username": "poc-bhr",
        "role": "point_of_contact",
        "first_name": "Ali",
        "last_name": "Al-Khalifa",
        "email": "ali.alkhalifa@bdf.bh.example",
        "nation": "BHR",
        "organisation": None,
    },
    {
        "username": "poc-are",
        "role": "point_of_contact",
        "first_name": "Saeed",
        "last_name": "Al-Mazrouei",
        "email": "saeed.almazrouei@mod.ae.example",
        "nation": "ARE",
        "organisation": None,
    },
    {
        "username": "poc-gcc",
        "role": "point_of_contact",
        "first_name": "Mansour",
        "last_name": "Al-Otaibi",
        "email": "mansour.alotaibi@gcc-sg.example",
        "nation": None,
        "organisation": "GCC-SEC",
    },
    {
        "username": "participant",
        "role": "participant",
        "first_name": "Yousef",
        "last_name": "Al-Rashidi",
        "email": "yousef.alrashidi@mod.kw.example",
        "nation": "KWT",
        "organisation": None,
    },
    {
        "username": "hq",
        "role": "hq_observer",
        "first_name": "Anneke",
        "last_name": "de Vries",
        "email": "anneke.devries@hq.nato.example",
        "nation": None,
        "organisation": None,
    },
]

# Who nominates for each partner nation or organisation, and who speaks for providers.
POINTS_OF_CONTACT = [
    {
        "full_name": "Colonel Khalid Al-Ajmi",
        "email": "khalid.alajmi@mod.kw.example",
        "phone": "+965 2200 0101",
        "role": "national_poc",
        "nation": "KWT",
        "organisation": None,
        "username": "poc-kwt",
    },
    {
        "full_name": "Lieutenant Colonel Ebrahim Al-Mannai",
        "email": "ebrahim.almannai@bdf.bh.example",
        "phone": "+973 1700 0102",
        "role": "national_poc",
        "nation": "BHR",
        "organisation": None,
        "username": None,
    },
    {
        "full_name": "Major Hamad Al-Marri",
        "email": "hamad.almarri@mod.qa.example",
        "phone": "+974 4400 0103",
        "role": "national_poc",
        "nation": "QAT",
        "organisation": None,
        "username": "poc-qat",
    },
    {
        "full_name": "Lieutenant Colonel Saeed Al-Ketbi",
        "email": "saeed.alketbi@mod.ae.example",
        "phone": "+971 2 400 0104",
        "role": "training_coordinator",
        "nation": "ARE",
        "organisation": None,
        "username": None,
    },
    {
        "full_name": "Colonel Turki Al-Qahtani",
        "email": "turki.alqahtani@mod.sa.example",
        "phone": "+966 11 400 0105",
        "role": "liaison_officer",
        "nation": "SAU",
        "organisation": None,
        "username": None,
    },
    {
        "full_name": "Commander Salim Al-Harthy",
        "email": "salim.alharthy@mod.om.example",
        "phone": "+968 2400 0106",
        "role": "liaison_officer",
        "nation": "OMN",
        "organisation": None,
        "username": None,
    },
    {
        "full_name": "Mansour Al-Otaibi",
        "email": "mansour.alotaibi@gcc-sg.example",
        "phone": "+966 11 400 0107",
        "role": "training_coordinator",
        "nation": None,
        "organisation": "GCC-SEC",
        "username": "poc-gcc",
    },
    {
        "full_name": "Lieutenant Colonel Jan Horáček",
        "email": "jan.horacek@jcbrncoe.example",
        "phone": "+420 973 000 108",
        "role": "course_provider",
        "nation": None,
        "organisation": "JCBRN-COE",
        "username": None,
    },
    {
        "full_name": "Commander Rui Almeida",
        "email": "rui.almeida@jallc.example",
        "phone": "+351 21 000 0109",
        "role": "course_provider",
        "nation": None,
        "organisation": "JALLC",
        "username": None,
    },
]

# Runs of catalogue courses. Dates are counted from the day the demo is loaded, so the demo always
# has runs open for nominations: `weeks_ahead` to the first Sunday on or after that many weeks.
ITERATIONS = [
    {
        "course": "ENSEC-CEIP-33102",
        "run": "A",
        "weeks_ahead": 10,
        "capacity": 24,
        "venue": "centre",
        "location_en": "",
        "location_ar": "",
        "status": "open",
        "bids": {"poc-kwt": 8, "poc-qat": 6, "poc-bhr": 5, "poc-are": 6},
        "allocate": True,
    },
    {
        "course": "LL-CAP-36101",
        "run": "A",
        "weeks_ahead": 12,
        "capacity": 26,
        "venue": "centre",
        "location_en": "",
        "location_ar": "",
        "status": "open",
        "bids": {"poc-kwt": 8, "poc-qat": 7, "poc-are": 6, "poc-bhr": 2},
        "allocate": True,
    },
    {
        "course": "STRAT-SL-37105",
        "run": "A",
        "weeks_ahead": 16,
        "capacity": 20,
        "venue": "centre",
        "location_en": "",
        "location_ar": "",
        "status": "open",
        "bids": {"poc-kwt": 4, "poc-qat": 3},
        "allocate": True,
    },
    {
        "course": "CMCEP-CM-34101",
        "run": "A",
        "weeks_ahead": 8,
        "capacity": 20,
        "venue": "centre",
        "location_en": "",
        "location_ar": "",
        "status": "open",
        "bids": {},
        "allocate": False,
    },
    {
        "course": "MAR-MSO-35102",
        "run": "A",
        "weeks_ahead": 26,
        "capacity": 20,
        "venue": "mobile",
        "location_en": "Bahrain Defence Force Naval Base, Manama",
        "location_ar": "القاعدة البحرية لقوة دفاع البحرين، المنامة",
        "status": "planned",
        "bids": {},
        "allocate": False,
    },
]

# Nominations by the demo points of contact: (iteration course, point of contact, priority, person).
NOMINATIONS = [
    (
        "ENSEC-CEIP-33102",
        "poc-kwt",
        1,
        (
            "Al-Rashidi",
            "Yousef",
            "N",
            "OF-3",
            "Energy infrastructure protection officer",
            "yousef.alrashidi@mod.kw.example",
            "3333",
            "NS",
        ),
    ),
    (
        "ENSEC-CEIP-33102",
        "poc-kwt",
        2,
        ("Al-Hajeri", "Bader", "A", "OF-4", "Staff officer, J3 plans", "bader.alhajeri@mod.kw.example", "3232", "NS"),
    ),
    (
        "ENSEC-CEIP-33102",
        "poc-kwt",
        3,
        (
            "Al-Shammari",
            "Reem",
            "CIV",
            "",
            "Analyst, Kuwait Petroleum security",
            "reem.alshammari@kpc.kw.example",
            "3332",
            "NR",
        ),
    ),
    (
        "ENSEC-CEIP-33102",
        "poc-qat",
        1,
        ("Al-Kuwari", "Jassim", "AF", "OF-3", "Base security officer", "jassim.alkuwari@mod.qa.example", "3232", "NS"),
    ),
    (
        "ENSEC-CEIP-33102",
        "poc-bhr",
        1,
        (
            "Al-Dosari",
            "Fatima",
            "SI",
            "OF-2",
            "Critical infrastructure planner",
            "fatima.aldosari@bdf.bh.example",
            "3333",
            "NC",
        ),
    ),
    (
        "LL-CAP-36101",
        "poc-kwt",
        1,
        (
            "Al-Fadhli",
            "Mishari",
            "A",
            "OF-3",
            "Lessons learned branch",
            "mishari.alfadhli@mod.kw.example",
            "3332",
            "NS",
        ),
    ),
    (
        "LL-CAP-36101",
        "poc-are",
        1,
        ("Al-Nuaimi", "Hamdan", "N", "OF-4", "Joint analysis cell", "hamdan.alnuaimi@mod.ae.example", "3333", "NS"),
    ),
    (
        "LL-CAP-36101",
        "poc-bhr",
        1,
        (
            "Al-Sayed",
            "Maryam",
            "SI",
            "OF-2",
            "Exercise evaluation officer",
            "maryam.alsayed@bdf.bh.example",
            "3232",
            "NR",
        ),
    ),
    (
        "LL-CAP-36101",
        "poc-bhr",
        2,
        (
            "Al-Musallam",
            "Khalifa",
            "A",
            "OF-3",
            "Training directorate",
            "khalifa.almusallam@bdf.bh.example",
            "3232",
            "NR",
        ),
    ),
    (
        "LL-CAP-36101",
        "poc-bhr",
        3,
        ("Al-Zayani", "Noor", "AF", "OF-2", "Air operations centre", "noor.alzayani@bdf.bh.example", "3333", "NR"),
    ),
    (
        "STRAT-SL-37105",
        "poc-kwt",
        1,
        ("Al-Sabah", "Nasser", "A", "OF-7", "Deputy chief of staff", "nasser.alsabah@mod.kw.example", "3333", "NS"),
    ),
    (
        "STRAT-SL-37105",
        "poc-qat",
        1,
        (
            "Al-Thani",
            "Abdulaziz",
            "N",
            "OF-6",
            "Commander, coastal forces",
            "abdulaziz.althani@mod.qa.example",
            "3333",
            "NS",
        ),
    ),
]

# The planner's resources and next year's demand (the year is the one after the demo is loaded).
VENUES = [
    ("centre", "NATO-ICI Regional Centre, Kuwait", "المركز الإقليمي لمبادرة إسطنبول للتعاون، الكويت"),
    ("bahrain", "Bahrain Defence Force Naval Base, Manama", "القاعدة البحرية لقوة دفاع البحرين، المنامة"),
]
ROOMS = [
    ("HALL", "centre", "Conference hall", "قاعة المؤتمرات", 60, ["interpretation"]),
    ("SEM-1", "centre", "Seminar room 1", "قاعة الندوات 1", 30, []),
    ("SEM-2", "centre", "Seminar room 2", "قاعة الندوات 2", 24, []),
    ("CYBER-LAB", "centre", "Cyber range", "ميدان التدريب السيبراني", 20, ["computers", "isolated-network"]),
    ("MANAMA", "bahrain", "Naval base classroom", "قاعة القاعدة البحرية", 30, []),
]
# (code, name, organisation, courses, availability windows as (month, day) pairs, most weeks a year)
INSTRUCTORS = [
    ("DVORAKOVA", "Petra Dvořáková", "JCBRN-COE", ["CBRN-IC-31207", "CBRN-FR-31210"], [], 8),
    ("KOVACS", "István Kovács", "JALLC", ["LL-CAP-36101", "LL-ANL-36110"], [((2, 1), (4, 30)), ((10, 1), (11, 30))], 6),
    ("LINDQVIST", "Erik Lindqvist", "CCDCOE", ["CYB-IR-32107", "CYB-LAW-32115"], [], 10),
    ("OKONKWO", "Grace Okonkwo", "NSO", ["CYB-IR-32107", "CMCEP-CM-34101", "CMCEP-CEP-34105"], [], 12),
    ("ROSSI", "Luca Rossi", "ENSEC-COE", ["ENSEC-CEIP-33102", "ENSEC-STR-33110"], [((1, 10), (6, 30))], 8),
    ("HAMMOND", "Claire Hammond", "MARCOM", ["MAR-MSO-35102", "MAR-MIO-35110"], [], 8),
    ("AL-ENEZI", "Noura Al-Enezi", "NIRC", ["CMCEP-CIMIC-34120", "STRAT-PP-37112", "STRAT-SL-37105"], [], None),
]
# (course, runs, participants, equipment, audience group, preferred months, least gap in days, priority, venue)
DEMAND = [
    ("CBRN-IC-31207", 2, 15, [], "CBRN", [3, 11], 60, 3, None),
    ("CYB-IR-32107", 3, 18, ["computers"], "CYBER", [1, 4, 10], 30, 3, None),
    ("CYB-LAW-32115", 1, 24, [], "CYBER", [5], 0, 2, None),
    ("ENSEC-CEIP-33102", 2, 24, [], "ENERGY", [2, 4], 45, 3, None),
    ("ENSEC-STR-33110", 1, 20, [], "ENERGY", [5], 0, 1, None),
    ("CMCEP-CM-34101", 2, 20, [], "CRISIS", [], 30, 2, None),
    ("CMCEP-CIMIC-34120", 1, 20, [], "CRISIS", [11], 0, 1, None),
    ("MAR-MSO-35102", 1, 20, [], "MARITIME", [6], 0, 2, "bahrain"),
    ("LL-CAP-36101", 2, 26, [], "LESSONS", [3, 10], 60, 3, None),
    ("STRAT-SL-37105", 1, 20, ["interpretation"], "SENIOR", [12], 0, 2, None),
]

# A course that ran last week, to show delivery: attendance (P present, L late, A absent, E excused,
# one letter per course day), test scores, completion, certificates and the end-of-course
# questionnaire. (point of contact, person with the supervisor's e-mail, marks, pre-test, final test).
# A course running this week, so that the class sheet shows today's check-in code and the demo
# participant can check in with it: (point of contact, person). The days of the week before today are
# marked present.
RUNNING_ITERATION = {"course": "CYB-LAW-32115", "capacity": 12, "bids": {"poc-kwt": 2, "poc-qat": 1, "poc-are": 1}}
RUNNING_PARTICIPANTS = [
    (
        "poc-kwt",
        (
            "Al-Rashidi",
            "Yousef",
            "N",
            "OF-3",
            "Energy infrastructure protection officer",
            "yousef.alrashidi@mod.kw.example",
            "3333",
            "NS",
        ),
    ),
    ("poc-kwt", ("Al-Ajmi", "Noura", "CIV", "", "Legal adviser, CITRA", "noura.alajmi@citra.kw.example", "3333", "NS")),
    (
        "poc-qat",
        (
            "Al-Sulaiti",
            "Hamad",
            "AF",
            "OF-2",
            "Network defence officer",
            "hamad.alsulaiti@mod.qa.example",
            "3333",
            "NS",
        ),
    ),
    (
        "poc-are",
        (
            "Al-Mazrouei",
            "Saeed",
            "A",
            "OF-3",
            "Cyber operations officer",
            "saeed.almazrouei@mod.ae.example",
            "3333",
            "NS",
        ),
    ),
]

PAST_ITERATION = {
    "course": "CMCEP-CM-34101",
    "capacity": 12,
    "bids": {"poc-kwt": 3, "poc-qat": 2, "poc-bhr": 1, "poc-are": 1},
    "min_attendance_pct": 80,
    "pass_mark": 60,  # a test score, not a password  # nosec B105
}
PAST_PARTICIPANTS = [
    (
        "poc-kwt",
        (
            "Al-Rashidi",
            "Yousef",
            "N",
            "OF-3",
            "Energy infrastructure protection officer",
            "yousef.alrashidi@mod.kw.example",
            "3333",
            "NS",
            "cdr.ops@mod.kw.example",
        ),
        "PPPPP",
        55,
        85,
    ),
    (
        "poc-kwt",
        (
            "Al-Mutairi",
            "Dalal",
            "CIV",
            "",
            "Crisis communication adviser, Ministry of Interior",
            "dalal.almutairi@moi.kw.example",
            "3333",
            "NR",
            "media.director@moi.kw.example",
        ),
        "PLPPP",
        60,
        80,
    ),
    (
        "poc-qat",
        (
            "Al-Marri",
            "Khalid",
            "A",
            "OF-3",
            "Plans officer, national emergency operations centre",
            "khalid.almarri@mod.qa.example",
            "3232",
            "NS",
            "",
        ),
        "PPPEP",
        50,
        75,
    ),
    (
        "poc-qat",
        (
            "Al-Kuwari",
            "Jassim",
            "AF",
            "OF-3",
            "Base security officer",
            "jassim.alkuwari@mod.qa.example",
            "3232",
            "NS",
            "",
        ),
        "PPPPL",
        65,
        90,
    ),
    (
        "poc-bhr",
        (
            "Al-Dosari",
            "Fatima",
            "SI",
            "OF-2",
            "Critical infrastructure planner",
            "fatima.aldosari@bdf.bh.example",
            "3333",
            "NC",
            "",
        ),
        "PPAAA",
        40,
        55,
    ),
    (
        "poc-are",
        (
            "Al-Nuaimi",
            "Hamdan",
            "N",
            "OF-4",
            "Joint analysis cell",
            "hamdan.alnuaimi@mod.ae.example",
            "3333",
            "NS",
            "",
        ),
        "AAAAA",
        None,
        None,
    ),
]
# End-of-course answers given by three participants (by e-mail): six scale answers, then the two
# free-text ones. The demo participant's own questionnaire is left for them to fill.
PAST_ANSWERS = {
    "dalal.almutairi@moi.kw.example": (
        [5, 5, 4, 5, 4, 5],
        "The exercise on public information during an escalating crisis.",
        "More time for the syndicate debrief on the last day.",
    ),
    "khalid.almarri@mod.qa.example": (
        [4, 4, 5, 4, 3, 4],
        "Comparing NATO and GCC crisis arrangements side by side.",
        "Send the reading list earlier.",
    ),
    "jassim.alkuwari@mod.qa.example": ([4, 5, 4, 4, 4, 5], "", ""),
}

# The cooperation menu (a few of its entries): code, kind, English and Arabic titles, catalogue course
# (course activities only), frameworks open to.
MENU = [
    (
        "ICI-CM-COURSE",
        "course",
        "Regional Crisis Management Course",
        "دورة إدارة الأزمات الإقليمية",
        "CMCEP-CM-34101",
        "ICI;GCC",
    ),
    (
        "ICI-ENSEC-COURSE",
        "course",
        "Critical Energy Infrastructure Protection Course",
        "دورة حماية البنية التحتية الحيوية للطاقة",
        "ENSEC-CEIP-33102",
        "ICI;GCC",
    ),
    (
        "ICI-LL-COURSE",
        "course",
        "NATO Lessons Learned Capability Course",
        "دورة قدرات الدروس المستفادة لحلف الناتو",
        "LL-CAP-36101",
        "ICI;GCC",
    ),
    (
        "ICI-MAR-COURSE",
        "course",
        "Maritime Security Course (mobile training team)",
        "دورة الأمن البحري (فريق تدريب متنقل)",
        "MAR-MSO-35102",
        "ICI;GCC",
    ),
    (
        "ICI-DIALOGUE-GULF",
        "dialogue",
        "NATO-Gulf strategic dialogue",
        "الحوار الاستراتيجي بين الناتو ودول الخليج",
        "",
        "ICI;GCC",
    ),
    ("ICI-SEM-ENSEC", "seminar", "Energy security seminar", "ندوة أمن الطاقة", "", "ICI;GCC"),
    (
        "ICI-TTX-CRISIS",
        "tabletop",
        "Regional crisis table-top exercise",
        "تمرين منضدي لإدارة الأزمات الإقليمية",
        "",
        "ICI",
    ),
    ("ICI-CONF-CYBER", "conference", "Gulf cyber defence conference", "مؤتمر الدفاع السيبراني الخليجي", "", "ICI;GCC"),
    ("ICI-VISIT-HQ", "visit", "Visit to NATO Headquarters, Brussels", "زيارة إلى مقر حلف الناتو في بروكسل", "", "ICI"),
]

# Each partner's programme: (nation, kind, title_en, title_ar, first year, last year, status, objectives).
# An objective: (title_en, title_ar, goals); a goal: (title_en, title_ar, owner, target year,
# indicator_en, indicator_ar, measure, target, supporting course codes, supporting event keys).
PROGRAMMES = [
    (
        "KWT",
        "ITPP",
        "Kuwait Individually Tailored Partnership Programme 2024-2027",
        "برنامج الشراكة المصمم خصيصاً لدولة الكويت 2024-2027",
        2024,
        2027,
        "approved",
        [
            (
                "Strengthen national crisis management and civil preparedness",
                "تعزيز إدارة الأزمات الوطنية والجاهزية المدنية",
                [
                    (
                        "Train the national crisis cell's staff officers",
                        "تدريب ضباط أركان خلية الأزمات الوطنية",
                        "Kuwait MOD, J3",
                        2026,
                        "Officers who completed crisis management training",
                        "الضباط الذين أتموا التدريب على إدارة الأزمات",
                        "people",
                        6,
                        ["CMCEP-CM-34101"],
                        ["ttx"],
                    ),
                    (
                        "Exercise the whole-of-government crisis response",
                        "التمرين على الاستجابة الحكومية الشاملة للأزمات",
                        "National Security Bureau",
                        2027,
                        "Crisis exercises held with NATO",
                        "تمارين الأزمات المنفذة مع الناتو",
                        "activities",
                        2,
                        [],
                        ["ttx"],
                    ),
                ],
            ),
            (
                "Protect critical energy infrastructure",
                "حماية البنية التحتية الحيوية للطاقة",
                [
                    (
                        "Build energy security expertise in the armed forces and KPC",
                        "بناء الخبرة في أمن الطاقة لدى القوات المسلحة ومؤسسة البترول",
                        "Kuwait MOD with Kuwait Petroleum Corporation",
                        2027,
                        "Specialists trained in energy infrastructure protection",
                        "المختصون المدربون على حماية البنية التحتية للطاقة",
                        "people",
                        8,
                        ["ENSEC-CEIP-33102"],
                        ["seminar"],
                    ),
                ],
            ),
            (
                "Deepen political dialogue and interoperability with NATO",
                "تعميق الحوار السياسي وقابلية العمل المشترك مع الناتو",
                [
                    (
                        "Take part in the regional strategic dialogue every year",
                        "المشاركة في الحوار الاستراتيجي الإقليمي سنوياً",
                        "Kuwait MFA",
                        2027,
                        "Dialogue events attended",
                        "فعاليات الحوار التي حضرتها الكويت",
                        "activities",
                        3,
                        [],
                        ["dialogue"],
                    ),
                    (
                        "Adopt a lessons-learned process in the armed forces",
                        "اعتماد منظومة للدروس المستفادة في القوات المسلحة",
                        "Kuwait MOD, J7",
                        2026,
                        "Officers trained as lessons-learned staff",
                        "الضباط المدربون على الدروس المستفادة",
                        "people",
                        4,
                        ["LL-CAP-36101"],
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "QAT",
        "ITPP",
        "Qatar Individually Tailored Partnership Programme 2025-2028",
        "برنامج الشراكة المصمم خصيصاً لدولة قطر 2025-2028",
        2025,
        2028,
        "approved",
        [
            (
                "Prepare for major events' security and crisis response",
                "الاستعداد لأمن الفعاليات الكبرى والاستجابة للأزمات",
                [
                    (
                        "Train crisis managers of the national emergency operations centre",
                        "تدريب مديري الأزمات في مركز العمليات الوطني للطوارئ",
                        "Qatar MOI",
                        2027,
                        "Crisis managers trained",
                        "مديرو الأزمات المدربون",
                        "people",
                        5,
                        ["CMCEP-CM-34101"],
                        [],
                    ),
                ],
            ),
            (
                "Develop cyber defence cooperation",
                "تطوير التعاون في الدفاع السيبراني",
                [
                    (
                        "Join the regional cyber defence conference",
                        "المشاركة في المؤتمر الإقليمي للدفاع السيبراني",
                        "Qatar National Cyber Security Agency",
                        2026,
                        "Conferences attended",
                        "المؤتمرات التي شاركت فيها قطر",
                        "activities",
                        1,
                        [],
                        ["conference"],
                    ),
                ],
            ),
        ],
    ),
    (
        "BHR",
        "IPCP",
        "Bahrain Individual Partnership and Cooperation Programme 2025-2026",
        "برنامج الشراكة والتعاون الفردي لمملكة البحرين 2025-2026",
        2025,
        2026,
        "under_review",
        [
            (
                "Enhance maritime security in the Gulf",
                "تعزيز الأمن البحري في الخليج",
                [
                    (
                        "Train boarding and maritime operations officers",
                        "تدريب ضباط الصعود والعمليات البحرية",
                        "Bahrain Defence Force, Navy",
                        2026,
                        "Officers trained in maritime security",
                        "الضباط المدربون على الأمن البحري",
                        "people",
                        6,
                        ["MAR-MSO-35102", "CMCEP-CM-34101"],
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "ARE",
        "ITPP",
        "United Arab Emirates Individually Tailored Partnership Programme 2026-2029",
        "برنامج الشراكة المصمم خصيصاً لدولة الإمارات العربية المتحدة 2026-2029",
        2026,
        2029,
        "draft",
        [
            (
                "Build a joint lessons-learned capability",
                "بناء قدرة مشتركة للدروس المستفادة",
                [
                    (
                        "Train the joint analysis cell",
                        "تدريب خلية التحليل المشتركة",
                        "UAE GHQ, joint analysis cell",
                        2027,
                        "Analysts trained",
                        "المحللون المدربون",
                        "people",
                        4,
                        ["LL-CAP-36101"],
                        [],
                    ),
                ],
            ),
        ],
    ),
]

# Events of their own, by key: (menu code, title_en, title_ar, days from today to the first day, days,
# capacity, status to reach, invited nations, registrations {point of contact: [(family, given, rank)]},
# report_en, report_ar).
EVENTS = {
    "dialogue": (
        "ICI-DIALOGUE-GULF",
        "NATO-Gulf strategic dialogue: security of the Gulf after 2025",
        "الحوار الاستراتيجي بين الناتو ودول الخليج: أمن الخليج بعد 2025",
        -40,
        2,
        40,
        "reported",
        ["KWT", "QAT", "BHR", "ARE"],
        {"poc-kwt": [("Al-Sabah", "Nasser", "OF-7")], "poc-qat": [("Al-Thani", "Abdulaziz", "OF-6")]},
        "Ambassadors and senior officers from four partners discussed maritime and energy security; "
        "a follow-up table-top exercise was proposed.",
        "ناقش سفراء وكبار الضباط من أربع دول شريكة الأمن البحري وأمن الطاقة، واقتُرح تمرين منضدي للمتابعة.",
    ),
    "seminar": (
        "ICI-SEM-ENSEC",
        "Energy security seminar: protecting offshore installations",
        "ندوة أمن الطاقة: حماية المنشآت البحرية",
        21,
        2,
        30,
        "inviting",
        ["KWT", "QAT", "BHR", "ARE", "SAU", "OMN"],
        {"poc-kwt": [("Al-Enezi", "Fahad", "OF-3")]},
        "",
        "",
    ),
    "ttx": (
        "ICI-TTX-CRISIS",
        "Regional crisis table-top exercise 2027",
        "التمرين المنضدي لإدارة الأزمات الإقليمية 2027",
        75,
        3,
        24,
        "approved",
        [],
        {},
        "",
        "",
    ),
    "conference": (
        "ICI-CONF-CYBER",
        "Gulf cyber defence conference",
        "مؤتمر الدفاع السيبراني الخليجي",
        120,
        2,
        60,
        "proposed",
        [],
        {},
        "",
        "",
    ),
}
