/**
 * The administrative procedures (TTHC) the simulated one-stop system handles: a representative
 * subset of high-volume national procedures. Codes follow the national `N.NNNNNN` format; the
 * code ↔ procedure pairing is *unverified* (plausible, kept in this one table).
 */
import type { HolderKind, Procedure, RequiredDocument } from './types.js';

const doc = (documentType: string, name: string, heldBy: HolderKind | null, optional = false, resultOfProcedure?: string): RequiredDocument =>
  resultOfProcedure === undefined ? { documentType, name, heldBy, optional } : { documentType, name, heldBy, optional, resultOfProcedure };

const FORM = doc('to-khai', 'Tờ khai', null);
const ID_CARD = doc('cccd', 'Căn cước công dân', 'national:population');
const RESIDENCE = doc('xac-nhan-cu-tru', 'Giấy xác nhận thông tin cư trú', 'national:population');

export const PROCEDURES: readonly Procedure[] = [
  // Commune level: civil status and certification, the bulk of the volume.
  { code: '1.001193', name: 'Đăng ký khai sinh', level: 'commune', department: null, fee: 0, resultIsDocument: true, resultDocumentType: 'giay-khai-sinh', processingDays: 1, applicantSource: 'citizen', weight: 6,
    requiredDocuments: [FORM, doc('giay-chung-sinh', 'Giấy chứng sinh', null), ID_CARD, doc('giay-chung-nhan-ket-hon', 'Giấy chứng nhận kết hôn của cha mẹ', 'earlier-result', true, '1.000894')] },
  { code: '1.000656', name: 'Đăng ký khai tử', level: 'commune', department: null, fee: 0, resultIsDocument: true, resultDocumentType: 'trich-luc-khai-tu', processingDays: 1, applicantSource: 'citizen', weight: 2,
    requiredDocuments: [FORM, doc('giay-bao-tu', 'Giấy báo tử', null), ID_CARD] },
  { code: '1.004873', name: 'Cấp Giấy xác nhận tình trạng hôn nhân', level: 'commune', department: null, fee: 0, resultIsDocument: true, resultDocumentType: 'xac-nhan-hon-nhan', processingDays: 3, applicantSource: 'citizen', weight: 4,
    requiredDocuments: [FORM, ID_CARD, RESIDENCE] },
  { code: '1.000894', name: 'Đăng ký kết hôn', level: 'commune', department: null, fee: 0, resultIsDocument: true, resultDocumentType: 'giay-chung-nhan-ket-hon', processingDays: 1, applicantSource: 'citizen', weight: 3,
    requiredDocuments: [FORM, ID_CARD, doc('xac-nhan-hon-nhan', 'Giấy xác nhận tình trạng hôn nhân', 'earlier-result', false, '1.004873')] },
  { code: '2.000815', name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản', level: 'commune', department: null, fee: 2_000, resultIsDocument: true, resultDocumentType: 'ban-sao-chung-thuc', processingDays: 1, applicantSource: 'citizen', weight: 20,
    requiredDocuments: [doc('ban-chinh', 'Bản chính giấy tờ', null), ID_CARD] },
  { code: '2.000884', name: 'Chứng thực chữ ký trong giấy tờ, văn bản', level: 'commune', department: null, fee: 10_000, resultIsDocument: true, resultDocumentType: 'van-ban-chung-thuc', processingDays: 1, applicantSource: 'citizen', weight: 6,
    requiredDocuments: [doc('van-ban-can-chung-thuc', 'Văn bản cần chứng thực', null), ID_CARD] },
  { code: '1.001022', name: 'Cấp bản sao trích lục hộ tịch', level: 'commune', department: null, fee: 8_000, resultIsDocument: true, resultDocumentType: 'trich-luc-ho-tich', processingDays: 1, applicantSource: 'citizen', weight: 4,
    requiredDocuments: [FORM, ID_CARD, doc('giay-khai-sinh', 'Giấy khai sinh', 'earlier-result', true, '1.001193')] },
  { code: '1.000893', name: 'Đăng ký thay đổi, cải chính hộ tịch', level: 'commune', department: null, fee: 5_000, resultIsDocument: true, resultDocumentType: 'trich-luc-thay-doi-ho-tich', processingDays: 3, applicantSource: 'citizen', weight: 1.5,
    requiredDocuments: [FORM, ID_CARD, doc('giay-khai-sinh', 'Giấy khai sinh', 'earlier-result', false, '1.001193')] },
  // District level.
  { code: '2.000575', name: 'Đăng ký thành lập hộ kinh doanh', level: 'district', department: null, fee: 100_000, resultIsDocument: true, resultDocumentType: 'giay-dkhkd', processingDays: 3, applicantSource: 'citizen', weight: 3,
    requiredDocuments: [FORM, ID_CARD, RESIDENCE] },
  { code: '2.000591', name: 'Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', level: 'district', department: null, fee: 700_000, resultIsDocument: true, resultDocumentType: 'gcn-attp', processingDays: 15, applicantSource: 'citizen', weight: 1,
    requiredDocuments: [FORM, doc('giay-dkhkd', 'Giấy chứng nhận đăng ký hộ kinh doanh', 'earlier-result', false, '2.000575'), doc('giay-kham-suc-khoe', 'Giấy xác nhận đủ sức khỏe', null), ID_CARD] },
  { code: '1.001612', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ', level: 'district', department: null, fee: 75_000, resultIsDocument: true, resultDocumentType: 'giay-phep-xay-dung', processingDays: 15, applicantSource: 'landOwner', weight: 3,
    requiredDocuments: [FORM, doc('gcn-qsdd', 'Giấy chứng nhận quyền sử dụng đất', 'national:land'), doc('ban-ve-thiet-ke', 'Bản vẽ thiết kế', null), ID_CARD] },
  { code: '1.004227', name: 'Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất', level: 'district', department: null, fee: 50_000, resultIsDocument: true, resultDocumentType: 'gcn-qsdd-bien-dong', processingDays: 10, applicantSource: 'landOwner', weight: 8,
    requiredDocuments: [FORM, doc('gcn-qsdd', 'Giấy chứng nhận quyền sử dụng đất', 'national:land'), doc('hop-dong-chuyen-nhuong', 'Hợp đồng chuyển nhượng, tặng cho', null), ID_CARD, doc('giay-phep-xay-dung', 'Giấy phép xây dựng', 'earlier-result', true, '1.001612')] },
  { code: '2.002161', name: 'Trợ cấp xã hội hàng tháng', level: 'district', department: null, fee: 0, resultIsDocument: true, resultDocumentType: 'quyet-dinh-tro-cap', processingDays: 20, applicantSource: 'insured', weight: 2,
    requiredDocuments: [FORM, ID_CARD, RESIDENCE, doc('the-bhyt', 'Thẻ bảo hiểm y tế', 'national:insurance')] },
  // Province level (received at the provincial public-administration service centre).
  { code: '2.001610', name: 'Đăng ký thành lập doanh nghiệp', level: 'province', department: 'SKHDT', fee: 50_000, resultIsDocument: true, resultDocumentType: 'gcn-dkdn', processingDays: 3, applicantSource: 'citizen', weight: 1,
    requiredDocuments: [FORM, ID_CARD, RESIDENCE] },
  { code: '2.001199', name: 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp', level: 'province', department: 'SKHDT', fee: 50_000, resultIsDocument: true, resultDocumentType: 'gcn-dkdn-thay-doi', processingDays: 3, applicantSource: 'business', weight: 2,
    requiredDocuments: [FORM, doc('gcn-dkdn', 'Giấy chứng nhận đăng ký doanh nghiệp', 'national:business'), doc('cccd-nguoi-dai-dien', 'Căn cước của người đại diện theo pháp luật', 'national:population')] },
  { code: '2.000183', name: 'Cấp Giấy phép bán lẻ rượu', level: 'province', department: 'SCT', fee: 1_200_000, resultIsDocument: true, resultDocumentType: 'giay-phep-kinh-doanh', processingDays: 10, applicantSource: 'business', weight: 0.5,
    requiredDocuments: [FORM, doc('gcn-dkdn', 'Giấy chứng nhận đăng ký doanh nghiệp', 'national:business')] },
  { code: '1.002809', name: 'Đổi giấy phép lái xe do ngành Giao thông vận tải cấp', level: 'province', department: 'SGTVT', fee: 135_000, resultIsDocument: true, resultDocumentType: 'gplx', processingDays: 5, applicantSource: 'citizen', weight: 3,
    requiredDocuments: [FORM, ID_CARD, doc('giay-kham-suc-khoe', 'Giấy khám sức khỏe', null), doc('anh-the', 'Ảnh thẻ', null)] },
  { code: '2.000488', name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam', level: 'province', department: 'STP', fee: 200_000, resultIsDocument: true, resultDocumentType: 'phieu-lltp', processingDays: 10, applicantSource: 'citizen', weight: 2,
    requiredDocuments: [FORM, ID_CARD, RESIDENCE] },
  { code: '1.000401', name: 'Giải quyết hưởng trợ cấp thất nghiệp', level: 'province', department: 'SLDTBXH', fee: 0, resultIsDocument: true, resultDocumentType: 'quyet-dinh-tro-cap-that-nghiep', processingDays: 20, applicantSource: 'insured', weight: 1.5,
    requiredDocuments: [FORM, doc('so-bhxh', 'Sổ bảo hiểm xã hội', 'national:insurance'), doc('quyet-dinh-nghi-viec', 'Quyết định thôi việc', null), ID_CARD] },
  { code: '1.003003', name: 'Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu', level: 'province', department: 'STNMT', fee: 100_000, resultIsDocument: true, resultDocumentType: 'gcn-qsdd', processingDays: 30, applicantSource: 'citizen', weight: 1.5,
    requiredDocuments: [FORM, doc('giay-to-nguon-goc-dat', 'Giấy tờ về nguồn gốc đất', null), ID_CARD, RESIDENCE] },
  { code: '1.004946', name: 'Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh', level: 'province', department: 'SYT', fee: 360_000, resultIsDocument: true, resultDocumentType: 'chung-chi-hanh-nghe', processingDays: 20, applicantSource: 'citizen', weight: 0.5,
    requiredDocuments: [FORM, ID_CARD, doc('van-bang', 'Văn bằng chuyên môn', null), doc('giay-kham-suc-khoe', 'Giấy khám sức khỏe', null)] },
  { code: '1.009794', name: 'Xác nhận thông tin về hồ sơ xây dựng, cấp thoát nước (tra cứu)', level: 'province', department: 'SXD', fee: 0, resultIsDocument: false, resultDocumentType: null, processingDays: 5, applicantSource: 'citizen', weight: 0.5,
    requiredDocuments: [FORM, ID_CARD] },
];

const byCode = new Map(PROCEDURES.map((p) => [p.code, p]));

export function procedureByCode(code: string): Procedure {
  const p = byCode.get(code);
  if (p === undefined) throw new RangeError(`unknown procedure ${code}`);
  return p;
}

/** Procedures that need the result of `code` as an input document: the chains that make earlier results re-usable. */
export const FOLLOW_UPS: ReadonlyMap<string, readonly Procedure[]> = new Map(
  PROCEDURES.map((earlier) => [earlier.code, PROCEDURES.filter((p) => p.requiredDocuments.some((d) => d.resultOfProcedure === earlier.code))] as const).filter(([, list]) => list.length > 0),
);
