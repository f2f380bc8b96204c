import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('atob decodes forgiving-base64: whitespace ignored, padding optional', async () => {
  await sameAsNode(
    `
    for (const s of ['aGVsbG8gd29ybGQ=', 'aGVsbG8gd29ybGQ', 'YQ', 'YQ==', ' Y Q =\\n= ', '', 'AP8=', '/+/+']) {
      print(JSON.stringify(s), JSON.stringify(atob(s)))
    }
    print(JSON.stringify(atob(null)))
  `,
    lines(
      '"aGVsbG8gd29ybGQ=" "hello world"',
      '"aGVsbG8gd29ybGQ" "hello world"',
      '"YQ" "a"',
      '"YQ==" "a"',
      '" Y Q =\\n= " "a"',
      '"" ""',
      '"AP8=" "\\u0000ÿ"',
      '"/+/+" "ÿïþ"',
      '"\u009eée"',
    ),
  )
})

test('atob throws InvalidCharacterError for bad characters, misplaced padding and impossible lengths', async () => {
  await sameAsNode(
    `
    for (const s of ['!', 'ab=c', 'ab=', 'a===', '=', 'a', 'abcde', '\\u00e9']) {
      try { print('decoded', JSON.stringify(atob(s))) } catch (e) { print(JSON.stringify(s), e.name, e.code, e.message) }
    }
    try { atob() } catch (e) { print('no argument:', e.name) }
  `,
    lines(
      '"!" InvalidCharacterError 5 Invalid character',
      '"ab=c" InvalidCharacterError 5 Invalid character',
      '"ab=" InvalidCharacterError 5 Invalid character',
      '"a===" InvalidCharacterError 5 Invalid character',
      '"=" InvalidCharacterError 5 Invalid character',
      '"a" InvalidCharacterError 5 The string to be decoded is not correctly encoded.',
      '"abcde" InvalidCharacterError 5 The string to be decoded is not correctly encoded.',
      '"é" InvalidCharacterError 5 Invalid character',
      'no argument: TypeError',
    ),
  )
})

test('btoa encodes Latin-1 and throws InvalidCharacterError above U+00FF', async () => {
  await sameAsNode(
    `
    for (const s of ['', 'a', 'ab', 'abc', 'hello world', '\\x00\\xff', 'ÿ']) print(JSON.stringify(s), btoa(s))
    print(btoa(null), btoa(undefined), btoa(12))
    for (const s of ['€', '\\u0100', 'ok\\ud83d']) {
      try { print(btoa(s)) } catch (e) { print(e.name, e.code, e.message, e instanceof DOMException) }
    }
    try { btoa() } catch (e) { print('no argument:', e.name) }
    print(atob(btoa('round trip \\xe9\\xff')) === 'round trip \\xe9\\xff')
  `,
    lines(
      '"" ',
      '"a" YQ==',
      '"ab" YWI=',
      '"abc" YWJj',
      '"hello world" aGVsbG8gd29ybGQ=',
      '"\\u0000ÿ" AP8=',
      '"ÿ" /w==',
      'bnVsbA== dW5kZWZpbmVk MTI=',
      'InvalidCharacterError 5 Invalid character true',
      'InvalidCharacterError 5 Invalid character true',
      'InvalidCharacterError 5 Invalid character true',
      'no argument: TypeError',
      'true',
    ),
  )
})

test.run()
