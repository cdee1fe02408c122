/**
 * Vietnamese personal and business names. All strings are normalised to NFC once, here, so that
 * every name the world emits compares equal to what a database returns after NFC normalisation.
 * Khmer family names (Thạch, Kim, Sơn, Danh, Lâm, Triệu) are common in Trà Vinh (≈30% Khmer).
 */
import type { Rng } from './prng.js';
import { cumulate } from './prng.js';

const nfc = (items: readonly string[]): readonly string[] => items.map((s) => s.normalize('NFC'));

const FAMILY = nfc(['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Thạch', 'Kim', 'Sơn', 'Danh', 'Lâm', 'Triệu', 'Phan', 'Đặng', 'Dương', 'Trương', 'Hồ', 'Đỗ']);
const FAMILY_WEIGHTS = cumulate([28, 9, 8, 5, 6, 5, 8, 5, 4, 2, 3, 1, 3, 2, 2, 2, 2, 1]);

const MIDDLE_M = nfc(['Văn', 'Minh', 'Hoàng', 'Quốc', 'Thanh', 'Hữu', 'Đức', 'Công', 'Ngọc', 'Chí']);
const MIDDLE_F = nfc(['Thị', 'Ngọc', 'Thanh', 'Thúy', 'Kim', 'Mỹ', 'Bích', 'Thu', 'Hồng', 'Cẩm']);
const GIVEN_M = nfc([
  'An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Khang', 'Long', 'Minh', 'Nam', 'Phúc', 'Quang', 'Sang', 'Tài',
  'Thành', 'Trí', 'Tuấn', 'Việt', 'Vinh', 'Khoa', 'Đạt', 'Hiếu', 'Lộc', 'Phong', 'Tâm', 'Thắng', 'Toàn', 'Trung',
  'Sóc', 'Chanh', 'Sa Rươl', 'Sô Phanh', 'Kha', 'Rum', 'Đa Ra',
]);
const GIVEN_F = nfc([
  'Anh', 'Bích', 'Chi', 'Diễm', 'Dung', 'Hà', 'Hạnh', 'Hằng', 'Hoa', 'Hương', 'Lan', 'Linh', 'Loan', 'Mai', 'Ngân',
  'Nhung', 'Phương', 'Thảo', 'Thu', 'Trang', 'Tuyết', 'Vy', 'Yến', 'Ngọc', 'Trâm', 'Thy',
  'Sa Ri', 'Sà Phương', 'Mum', 'Sóc Kha', 'Chanh Thu',
]);

export function personName(rng: Rng, sex: 'M' | 'F'): string {
  const family = FAMILY[rng.weighted(FAMILY_WEIGHTS)] ?? 'Nguyễn';
  const middle = rng.pick(sex === 'M' ? MIDDLE_M : MIDDLE_F);
  const given = rng.pick(sex === 'M' ? GIVEN_M : GIVEN_F);
  return `${family} ${middle} ${given}`;
}

const TRADES = nfc(['Thương mại Dịch vụ', 'Xây dựng', 'Thủy sản', 'Nông nghiệp', 'Vận tải', 'Xuất nhập khẩu', 'Chế biến Dừa', 'Du lịch', 'Cơ khí', 'Năng lượng', 'Tư vấn Thiết kế', 'Dược phẩm']);
const PROPER = nfc(['Phước Thịnh', 'Hòa Bình', 'Trà Vinh', 'Duyên Hải', 'Phú Cường', 'Tân Phát', 'Minh Long', 'Hưng Thịnh', 'An Khang', 'Thành Đạt', 'Cửu Long', 'Đông Hải', 'Kim Ngân', 'Song Lộc', 'Long Toàn', 'Bảo Châu', 'Thiên Phúc', 'Nam Bộ', 'Vĩnh Phát', 'Ao Bà Om']);

const TYPE_PREFIX = {
  DNTN: 'Doanh nghiệp tư nhân',
  TNHH1TV: 'Công ty TNHH Một thành viên',
  TNHH2TV: 'Công ty TNHH',
  CP: 'Công ty Cổ phần',
} as const;

export function businessName(rng: Rng, legalType: keyof typeof TYPE_PREFIX): string {
  return `${TYPE_PREFIX[legalType].normalize('NFC')} ${rng.pick(TRADES)} ${rng.pick(PROPER)}`;
}
