#!/usr/bin/env bash
# Regenerates the sample station's recordings (audio/ and chimes/) from the
# texts below: Vietnamese speech from espeak-ng, encoded by sox.
# Needs: apt-get install espeak-ng sox libsox-fmt-mp3
# The output is committed, so running the station does not need these tools.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() { # say OUTPUT.mp3 "text"
    local out=$1 text=$2
    mkdir -p "$(dirname "$out")"
    espeak-ng -v vi -s 150 -a 150 -w "$tmp/speech.wav" "$text"
    # Mono, 22.05 kHz, 32 kbit/s: intelligible speech, small files.
    sox "$tmp/speech.wav" -r 22050 -c 1 -C 32 "$out" norm -3
    echo "$out: $(soxi -D "$out") s"
}

say audio/cchc/dich-vu-cong-truc-tuyen.mp3 \
  "Bà con hãy sử dụng dịch vụ công trực tuyến trên Cổng dịch vụ công quốc gia để nộp hồ sơ thủ tục hành chính tại nhà, không phải đến trụ sở Ủy ban nhân dân xã."
say audio/cchc/thanh-toan-truc-tuyen.mp3 \
  "Phí và lệ phí thủ tục hành chính nay có thể thanh toán trực tuyến, nhanh chóng và an toàn."
say audio/cchc/duong-day-nong.mp3 \
  "Mọi phản ánh, kiến nghị về thủ tục hành chính và thái độ của cán bộ, công chức, xin gọi đường dây nóng của Ủy ban nhân dân xã Xuân Đám."
say audio/cchc/chu-de-nam-2025.mp3 \
  "Chủ đề năm 2025 của thành phố: Mở rộng không gian kinh tế, đô thị; hoàn thiện cơ chế, chính sách đặc thù; tăng cường chuyển đổi xanh, chuyển đổi số."
say audio/cchc/chuong-trinh-tong-the.mp3 \
  "Thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 đến 2030 theo Nghị quyết 76 của Chính phủ."
say audio/cchc/chinh-quyen-so.mp3 \
  "Xây dựng và phát triển chính quyền điện tử, chính quyền số, gắn với chuyển đổi số của thành phố Hải Phòng."
say audio/cchc/theo-doi-ho-so.mp3 \
  "Hồ sơ thủ tục hành chính của bà con được theo dõi trạng thái xử lý trên hệ thống thông tin giải quyết thủ tục hành chính, đồng bộ với Cổng dịch vụ công quốc gia."
say audio/cchc/iso-9001.mp3 \
  "Ủy ban nhân dân xã áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn ISO 9001 năm 2015."
say audio/cchc/chi-so-cchc.mp3 \
  "Chung tay nâng cao các chỉ số cải cách hành chính, chỉ số hài lòng của người dân, chỉ số năng lực cạnh tranh và chỉ số chuyển đổi số."
say audio/cchc/bieu-duong.mp3 \
  "Biểu dương các tập thể, cá nhân có sáng kiến, cách làm hay và tinh thần phục vụ tận tụy trong cải cách hành chính."

# The station's signal: three rising tones with a short fade, as Ogg Vorbis.
mkdir -p chimes
sox -n -r 22050 -c 1 "$tmp/t1.wav" synth 0.35 sine 660 fade 0.01 0.35 0.08
sox -n -r 22050 -c 1 "$tmp/t2.wav" synth 0.35 sine 880 fade 0.01 0.35 0.08
sox -n -r 22050 -c 1 "$tmp/t3.wav" synth 0.6 sine 1320 fade 0.01 0.6 0.3
sox "$tmp/t1.wav" "$tmp/t2.wav" "$tmp/t3.wav" -C 3 chimes/tin-hieu.ogg gain -6
echo "chimes/tin-hieu.ogg: $(soxi -D chimes/tin-hieu.ogg) s"
