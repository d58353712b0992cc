/**
 * Passwords of ten or more characters that lead the public breach lists (and their Korean-keyboard
 * favourites): refused at sign-up, reset and change. Compared in lower case.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890', '0123456789', '0987654321', '1234512345', '1111111111', '0000000000', '1122334455', '1q2w3e4r5t',
  '1qaz2wsx3edc', 'qwertyuiop', 'asdfghjkl;', 'zxcvbnm123', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'password12',
  'password123', 'password1234', 'password!!', 'passw0rd123', 'p@ssw0rd123', 'iloveyou12', 'iloveyou123', 'abcdefghij',
  'abcd123456', 'abc1234567', 'a123456789', 'q1w2e3r4t5', 'qazwsxedc123', 'letmein123', 'welcome123', 'welcome1234',
  'football123', 'baseball123', 'sunshine123', 'princess123', 'dragon1234', 'monkey1234', 'master1234', 'superman123',
  'trustno1234', 'starwars123', 'whatever123', 'admin12345', 'administrator', 'changeme123', 'homelesspa', 'qwer1234!!',
  'asdf1234!!', 'zaq12wsxcde', 'omood12345', 'omoodomood', 'sarang1234', 'saranghae1', 'saranghae12', 'dkssudgktpdy',
]);
