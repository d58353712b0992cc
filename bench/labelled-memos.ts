// The labelled set for the builtin classifier: Korean and English memos for every built-in
// category, two custom categories a user might make, and memos that fit nothing (expected null).

export const CUSTOM_CATEGORIES = [
  { key: '운동', name: '운동', description: '헬스, 러닝, 요가, 수영 같은 운동 기록 workout gym running exercise' },
  { key: 'cooking', name: 'Cooking', description: 'recipes and cooking notes 요리 레시피 recipe bake' },
];

export interface LabelledMemo {
  text: string;
  tags?: string[];
  expected: string | null;
}

export const LABELLED_MEMOS: LabelledMemo[] = [
  // idea
  { text: '출퇴근 시간에 쓸 수 있는 영어 단어 앱 아이디어', expected: 'idea' },
  { text: '동네 가게 재고를 공유하는 서비스 구상해보기', expected: 'idea' },
  { text: '새로운 아이디어: 식물 물주기 알림을 보내주는 화분', expected: 'idea' },
  { text: '카페 창업하면 책 교환 코너를 만들어보면 어떨까', expected: 'idea' },
  { text: 'Idea: a browser extension that summarises long threads', expected: 'idea' },
  { text: 'What if the app suggested a break playlist? Prototype it this weekend', expected: 'idea' },
  { text: 'Startup idea - shared tool library for apartment buildings', expected: 'idea' },
  { text: 'brainstorm features for the habit tracker concept', expected: 'idea' },
  { text: '블로그 글감으로 떠오른 생각: 도시 산책 지도', expected: 'idea' },
  { text: 'Inspiration for a short story plot: a clock that runs backwards', expected: 'idea' },
  // study
  { text: '알고리즘 강의 3장 복습하기', expected: 'study' },
  { text: '토익 단어 50개 외우고 문법 문제집 풀기', expected: 'study' },
  { text: '다음 주 시험 범위: 선형대수 고유값, 행렬식', expected: 'study' },
  { text: '자료구조 과제 제출 전에 힙 정렬 정리', expected: 'study' },
  { text: 'Study the chapter on TCP congestion control before the exam', expected: 'study' },
  { text: 'Finish the React course module and do the quiz', expected: 'study' },
  { text: 'Learn 20 new Spanish vocabulary words and review grammar', expected: 'study' },
  { text: 'homework: calculus problems 4.1 to 4.5', expected: 'study' },
  { text: '온라인 강좌 수업 노트 정리하기', expected: 'study' },
  { text: 'Lecture notes: dynamic programming and memoization practice', expected: 'study' },
  // shopping
  { text: '내일 마트에서 우유랑 계란 사야 함', expected: 'shopping' },
  { text: '세제, 휴지, 샴푸 구매하기', expected: 'shopping' },
  { text: '쿠팡에서 노트북 거치대 주문', expected: 'shopping' },
  { text: '장보기 목록: 양파, 두부, 대파', expected: 'shopping' },
  { text: 'Buy milk, eggs and bread on the way home', expected: 'shopping' },
  { text: 'Order a new phone case, the store has a discount code', expected: 'shopping' },
  { text: 'groceries: apples, rice, coffee beans', expected: 'shopping' },
  { text: 'Compare prices for running shoes before I purchase', expected: 'shopping' },
  { text: '할인 쿠폰 쓰고 겨울 패딩 구입', expected: 'shopping' },
  { text: 'Add batteries and light bulbs to the shopping cart', expected: 'shopping' },
  // work
  { text: '내일 오전 팀 회의 발표 자료 마감', expected: 'work' },
  { text: '분기 보고서 팀장님께 결재 올리기', expected: 'work' },
  { text: '고객사 미팅 일정 조율하고 메일 보내기', expected: 'work' },
  { text: '프로젝트 배포 전에 동료랑 코드 리뷰', expected: 'work' },
  { text: 'Prepare slides for the client presentation on Thursday', expected: 'work' },
  { text: 'Sprint planning meeting at 10, update the project board', expected: 'work' },
  { text: 'Send the invoice to the client and follow up by email', expected: 'work' },
  { text: 'deadline for the quarterly report moved to Friday', expected: 'work' },
  { text: '오늘도 야근, 업무 인수인계 문서 작성', expected: 'work' },
  { text: 'One-on-one with my manager about team goals', expected: 'work' },
  // personal
  { text: '엄마 생일 선물 뭐로 할지 가족이랑 얘기하기', expected: 'personal' },
  { text: '오늘 기분이 좀 우울했다. 일기 써야지', expected: 'personal' },
  { text: '주말에 친구랑 데이트 코스 짜기', expected: 'personal' },
  { text: '병원 예약: 건강검진 다음 주 화요일', expected: 'personal' },
  { text: 'Call dad this weekend, it has been a while', expected: 'personal' },
  { text: 'Feeling tired lately, need more sleep', expected: 'personal' },
  { text: "My friend's birthday party on Saturday", expected: 'personal' },
  { text: 'Doctor appointment for my health check', expected: 'personal' },
  { text: '가족 여행 숙소 알아보기', expected: 'personal' },
  { text: 'diary: happy day at home with family', expected: 'personal' },
  // quote
  { text: '"천 리 길도 한 걸음부터" - 속담', expected: 'quote' },
  { text: '오늘의 명언: 실패는 성공의 어머니', expected: 'quote' },
  { text: '좋은 글귀 인용: 늦었다고 생각할 때가 가장 빠르다', expected: 'quote' },
  { text: '“Stay hungry, stay foolish.” — Steve Jobs', expected: 'quote' },
  { text: 'Quote: the best way to predict the future is to invent it', expected: 'quote' },
  { text: '"Simplicity is the soul of efficiency." - Austin Freeman', expected: 'quote' },
  { text: 'A proverb worth keeping: slow and steady wins the race', expected: 'quote' },
  { text: '격언: 아는 것이 힘이다', expected: 'quote' },
  { text: 'Seneca said: luck is what happens when preparation meets opportunity', expected: 'quote' },
  { text: '마음에 남는 구절 – 사람은 꿈을 꾸는 만큼 자란다', expected: 'quote' },
  // 운동 (custom)
  { text: '오늘 헬스장에서 스쿼트 5세트', expected: '운동' },
  { text: '아침 러닝 5km 완주', expected: '운동' },
  { text: '요가 수업 등록하고 수영 강습 알아보기', expected: '운동' },
  { text: 'Gym session: bench press and deadlift, workout log', expected: '운동' },
  { text: 'Morning running 10k, exercise streak day 12', expected: '운동' },
  { text: '운동 루틴: 하체, 코어, 스트레칭', expected: '운동' },
  // cooking (custom)
  { text: 'Recipe: tomato pasta with garlic and basil', expected: 'cooking' },
  { text: '김치찌개 레시피 메모: 돼지고기 먼저 볶기', expected: 'cooking' },
  { text: 'Bake banana bread, cooking notes: less sugar next time', expected: 'cooking' },
  { text: '요리 연습: 계란말이 불 조절', expected: 'cooking' },
  { text: 'cooking recipe for chicken curry', expected: 'cooking' },
  { text: '된장국 레시피 간 맞추기', expected: 'cooking' },
  // fits nothing
  { text: 'asdf qwer zxcv', expected: null },
  { text: 'ㅋㅋㅋㅋ', expected: null },
  { text: '음...', expected: null },
  { text: 'test', expected: null },
  { text: '123 456', expected: null },
  { text: 'The sky is blue', expected: null },
  { text: '비가 온다', expected: null },
  { text: 'blue green red', expected: null },
  { text: '그냥 적어둠', expected: null },
  { text: 'lorem ipsum dolor sit amet', expected: null },
  { text: '오후 3시', expected: null },
  { text: 'random thought about clouds', expected: null },
];
