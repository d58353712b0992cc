/**
 * A compact Korean and English lexicon of topics: what the world around a category talks about.
 * Terms are separated by spaces; `_` stands for a space inside an English phrase; a leading `~`
 * marks a weak term (half weight), a leading `!` a term that names its category (double weight). Korean terms of two syllables or more also match inside a
 * compound (헬스장, 영어시험); one-syllable Korean terms match only alone or with a particle.
 * English terms match after light stemming (squats, running, bought → squat, run, buy).
 */
export const TOPICS = {
  fitness:
    '운동 헬스 피티 스쿼트 데드 벤치 푸쉬업 푸시업 팔굽혀펴기 턱걸이 윗몸 플랭크 런지 버피 덤벨 바벨 케틀벨 근력 근육 유산소 러닝 조깅 달리기 뛰었 뛰기 달렸 마라톤 수영 요가 필라테스 스트레칭 등산 산행 트레킹 자전거 라이딩 사이클 스피닝 크로스핏 줌바 복싱 주짓수 태권도 검도 유도 클라이밍 볼더링 축구 풋살 농구 야구 배구 테니스 배드민턴 탁구 골프 스키 스노보드 서핑 걷기 만보 산책 인바디 체지방 벌크업 다이어트 식단 홈트 하체 상체 코어 복근 ~세트 중량 킬로 완주 기록단축 쿨다운 워밍업 폼롤러 줄넘기 스텝퍼 계단오르기 트레드밀 철봉 '
    + 'km exercise workout gym squat deadlift bench_press push_up pushup pull_up pullup plank lunge burpee dumbbell barbell kettlebell ~lift lifting weights cardio ~run ~ran running runner jog swam ~pool marathon 5k 10k half_marathon swim yoga pilates stretch hike trek bike cycling ~cycle ~spin crossfit zumba boxing martial jiu_jitsu taekwondo climb bouldering soccer football futsal basketball baseball volleyball tennis badminton ping_pong golf ski snowboard surf ~walk ~steps treadmill rowing reps ~sets ~pace fitness training trainer abs ~core leg_day cooldown warm_up ~laps muscle ~protein jump_rope elliptical hiit miles ~mile personal_training hamstring glutes triathlon pt',
  food:
    '요리 레시피 조리 볶기 볶음 굽기 구워 끓이 끓였 삶기 무침 반찬 찌개 국물 육수 양념 소스 간장 고추장 된장 간맞 간을 간이 파스타 스파게티 카레 샐러드 스테이크 계란말이 계란찜 떡볶이 김밥 불고기 잡채 수프 베이킹 쿠키 케이크 머핀 빵굽 반죽 오븐 에어프라이어 프라이팬 냄비 밀키트 도시락 손질 재료 맛집 식당 브런치 디저트 카페 메뉴 ~간식 부침개 김치전 미역국 칼국수 만드는법 만드는_법 '
    + 'recipe cook bake roast fry fried boil simmer stir_fry saute marinate sauce soup stew curry pasta spaghetti salad steak omelette dough oven frying_pan ~pan knead batter ingredients ~dinner ~lunch ~breakfast brunch dessert meal restaurant cuisine kitchen ~chop seasoning grill noodles kimchi broth sourdough ~starter pancake waffle flour tbsp tsp grams ~cup ~food',
  reading:
    '책 독서 소설 에세이 시집 완독 읽기 읽었 읽는 읽을 독후감 저자 작가 출판 도서관 서점 북클럽 챕터 페이지 밑줄 전자책 읽음 읽고 읽다 읽은 쪽 ~신작 감상 서평 밀리의서재 리디북스 교보문고 알라딘 예스24 북토크 '
    + 'book read novel essay poem poetry author chapter pages library bookstore kindle ebook audiobook paperback memoir book_club goodreads fiction nonfiction biography novella sci-fi ~page',
  study:
    '공부 학습 강의 인강 수업 시험 중간고사 기말 모의고사 수능 내신 토익 토플 토스 오픽 아이엘츠 한능검 자격증 필기 실기 과제 숙제 레포트 리포트 복습 예습 암기 단어장 영단어 문법 교재 문제집 기출 오답 요약정리 학원 과외 스터디 도서관 학교 대학 학기 수강 교수 전공 교양 논문 졸업 학점 성적 수학 미적분 선형대수 통계 물리 화학 생물 국어 영어 한국사 세계사 역사 경제학 회화 일본어 스페인어 프랑스어 독일어 발음 알고리즘 자료구조 코딩테스트 프로그래밍 정리노트 ~개념 수행평가 단원평가 모고 수시 정시 입시 논술 독해 리스닝 스피킹 쉐도잉 받아쓰기 과학 공무원 행정학 한자 컴활 컴퓨터활용 '
    + 'jlpt hsk ebs study studied learn lecture class course exam midterm ~final finals quiz ~test homework assignment essay thesis textbook ~notes revise revision ~review vocabulary grammar flashcards tutor school university college semester professor syllabus degree gpa ~grade math calculus algebra geometry statistics physics chemistry biology ~history geography literature ~language spanish french german japanese chinese ~korean pronunciation algorithm toefl ielts toeic sat gre certification certificate exam_prep coursera udemy tutorial ~module memorize ~seminar ~papers lab_report ~research spelling vocab practice_test ~mock study_group ~lesson',
  work:
    '업무 회의 미팅 마감 프로젝트 보고서 기획서 제안서 견적서 계약서 품의서 결재 팀장 부장 과장 대리 사장 상사 동료 팀원 고객 거래처 클라이언트 발표 피피티 출근 퇴근 야근 회사 사무실 출장 연차 반차 휴가신청 인수인계 주간보고 월간보고 분기 실적 매출 예산 엑셀 스프레드시트 슬라이드 메일 답장 회신 일정조율 협업 배포 스프린트 ~이슈 코드리뷰 릴리즈 온보딩 면접 채용 이력서 연봉 인사평가 ~평가 워크숍 세미나 컨퍼런스 계획서 결과보고 수정본 ~공유 문서 서류 증명서 재직 공문 기안 발주 납품 협력사 파트너사 부서 인사팀 재무팀 총무팀 입사 퇴사 이직 승진 명함 슬랙 노션 지라 요구사항 기획안 ~요청 ~일정 회식 클레임 ~개발 ~서버 '
    + 'kpi okr work meeting standup stand-up deadline project report proposal contract invoice client customer office boss manager coworker colleague ~team presentation slides deck email ~reply spreadsheet excel ~budget quarterly q1 q2 q3 q4 sales revenue sprint deploy ~release ~ticket jira code_review onboarding interview resume cv salary promotion performance_review workshop conference agenda stakeholder roadmap ~business ~shift overtime payroll hr hire new_hire ~follow_up bug hotfix debug ~fix ~server pull_request merge all-hands zoom slack notion github requirements spec ~schedule ~calendar invite',
  shopping:
    '쇼핑 구매 운동화 구입 주문 장보기 장바구니 마트 홈플러스 코스트코 트레이더스 편의점 다이소 쿠팡 컬리 배민 지마켓 11번가 무신사 올리브영 이케아 아마존 알리 직구 택배 배송 반품 환불 교환 할인 세일 쿠폰 적립 ~포인트 가격 최저가 사야 사기 살것 살까 샀다 샀음 사고싶 사려고 우유 계란 달걀 두부 양파 대파 휴지 세제 샴푸 린스 치약 칫솔 물티슈 생수 쌀 라면 과일 고기 신발 옷 패딩 코트 바지 가방 화장품 선크림 노트북 아이폰 갤럭시 에어팟 이어폰 충전기 나이키 아디다스 유니클로 자라 오늘의집 당근마켓 번개장터 중고거래 에이블리 지그재그 테무 아울렛 백화점 면세점 장보러 전기포트 '
    + 'buy bought purchase shop grocery ~order ordered cart checkout store ~market supermarket mall amazon ebay costco walmart ikea uniqlo nike adidas zara apple_store coupon discount sale ~deal price cheaper refund ~return delivery shipping milk eggs bread butter cheese rice vegetables fruit toilet_paper detergent shampoo toothpaste batteries light_bulbs shoes sneakers jacket shirt jeans ~dress ~bag laptop phone_case headphones charger gift_card wishlist ~online litter restock paper_towels diapers soap tissues produce onions garlic apples bananas coffee_beans monitor keyboard temu ~gift ~pick_up',
  idea:
    '!아이디어 발상 구상 기획 떠오른 떠올 만들어보 만들면 해보면 어떨까 좋을듯 좋겠다 사이드프로젝트 토이프로젝트 창업 스타트업 앱 ~서비스 ~기능 프로토타입 브레인스토밍 영감 콘셉트 컨셉 글감 ~소재 아이템 발명 유튜브채널 블로그 ~생각 ~계획 유튜브_채널 굿즈 해볼까 '
    + '!idea brainstorm concept what_if could_build prototype invent invention startup app ~feature pitch inspiration side_project mvp plugin extension what_about how_about short_story ~plot newsletter podcast side_hustle business_idea ~plan ~maybe',
  quote:
    '!명언 !격언 !속담 인용 글귀 구절 어록 좌우명 말씀 한마디 좋은_말 들은_말 대사 가라사대 '
    + '!quote quotation saying !proverb wisdom motto aphorism maxim famous_line words_of',
  family:
    '가족 엄마 아빠 어머니 아버지 부모님 엄빠 동생 언니 오빠 누나 형 할머니 조카 이모 삼촌 고모 사촌 남편 아내 와이프 남친 여친 남자친구 여자친구 애인 아들 딸 아이들 육아 어린이집 유치원 시댁 처가 친척 명절 설날 추석 제사 생일 기념일 결혼 돌잔치 '
    + 'family mom dad mother father parents brother sister grandma grandpa grandmother grandfather aunt uncle cousin niece nephew husband wife boyfriend girlfriend partner son daughter kids baby wedding anniversary birthday relatives',
  friends:
    '친구 동기 지인 약속 모임 동창 데이트 소개팅 파티 수다 놀러 만나기 만났 노래방 술자리 한잔 '
    + 'friend hang_out hangout catch_up party ~date dinner_with brunch_with buddy roommate neighbor drinks karaoke',
  feelings:
    '기분 감정 행복 즐거 기뻤 기쁘 슬프 슬펐 우울 불안 걱정 짜증 화나 화났 속상 외롭 외로 지쳤 피곤 힘들 힘든 스트레스 멘탈 위로 감사 뿌듯 설레 서운 후회 눈물 울었 웃었 일기 ~마음 고민 번아웃 울적 허무 심심 ~혼자 '
    + 'feel felt happy sad upset angry anxious anxiety worried stress tired exhausted lonely grateful proud overwhelmed burnout cried mood diary journal ~myself emotional ~calm',
  health:
    '병원 진료 예약 검진 치과 한의원 피부과 안과 내과 정형외과 약국 약 처방 감기 몸살 두통 복통 열나 아프 아팠 통증 허리 주사 백신 접종 수술 입원 재활 물리치료 상담 정신과 수면 불면 잠 낮잠 영양제 비타민 혈압 한방 탈모 체중 혈당 '
    + 'doctor dentist hospital clinic appointment checkup check-up pharmacy medicine prescription pills ~cold flu fever headache sick pain injury vaccine surgery therapy therapist sleep insomnia nap vitamins blood_pressure allergy physio optometrist eye_exam blood_test vaccination flu_shot',
  money:
    '월세 전세 관리비 공과금 전기세 가스비 수도세 통신비 핸드폰비 카드값 ~카드 대출 이자 적금 예금 저축 통장 계좌 이체 송금 가계부 지출 생활비 용돈 월급 급여 세금 연말정산 보험 주식 투자 펀드 코인 환율 청구서 납부 할부 돈 도시가스 고지서 연체 ~정산 재테크 '
    + 'rent bill utility electricity gas_bill water_bill phone_bill internet_bill mortgage loan interest savings bank ~account ~transfer budget expenses spending paycheck salary tax insurance invest investment stocks crypto ~pay payment ~due subscription',
  home:
    '집안일 청소 빨래 설거지 분리수거 쓰레기 ~이사 집들이 인테리어 가구 수리 고장 세탁기 냉장고 화분 물주기 화초 '
    + 'chores clean laundry dishes vacuum trash recycling tidy moving move_out furniture repair plumber fridge plants watering',
  pets:
    '반려동물 반려견 반려묘 강아지 고양이 댕댕이 냥이 산책시키 사료 간식 동물병원 중성화 예방접종 '
    + 'dog cat pet puppy kitten vet leash litter_box',
  travel:
    '여행 휴가 숙소 호텔 펜션 에어비앤비 비행기 항공권 공항 기차 캠핑 제주 부산 해외 관광 여권 '
    + 'ktx travel trip vacation holiday hotel airbnb flight airport train camping passport sightseeing tour beach',
  music:
    '음악 노래 통기타 일렉기타 기타연습 피아노 드럼 바이올린 우쿨렐레 작곡 기타코드 악보 밴드 공연 콘서트 플레이리스트 '
    + 'music song guitar piano drums violin ukulele chord fingerstyle band concert playlist compose album',
  art:
    '그림 드로잉 수채화 유화 스케치 페인팅 전시 미술 사진 촬영 '
    + 'paint draw sketch watercolor canvas gallery exhibition art photography',
  media:
    '영화 드라마 넷플릭스 유튜브 웹툰 ~애니 예능 게임 '
    + 'movie film drama netflix ~series episode youtube anime game',
} as const;

export type Topic = keyof typeof TOPICS;

/**
 * The built-in categories mapped onto topics (weight per topic). Hobbies (music, art, media) and
 * sport map to no built-in on purpose: a memo about them fits nothing until the user makes a
 * category for them.
 */
export const BUILTIN_TOPICS: ReadonlyMap<string, Partial<Record<Topic, number>>> = new Map<string, Partial<Record<Topic, number>>>([
  ['idea', { idea: 1 }],
  ['study', { study: 1, reading: 1 }],
  ['shopping', { shopping: 1 }],
  ['work', { work: 1 }],
  ['personal', { family: 1, friends: 1, feelings: 1, health: 1, money: 1, home: 0.9, pets: 0.8, travel: 0.8, food: 0.4 }],
  ['quote', { quote: 1.2 }],
]);
