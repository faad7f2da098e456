"""Words to text: lines by vertical position, reading order within a line."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from statistics import median

from extractors.layout import Word

# Traditional forms the recogniser now and then gives for simplified characters
# (黃渡镇 for 黄渡镇). The reports are printed in simplified characters only, and
# none of these is one.
_TRADITIONAL = str.maketrans({p[0]: p[1] for p in """
黃黄 區区 縣县 鎮镇 鄉乡 國国 廣广 東东 門门 陽阳 陳陈 張张 長长 馬马 龍龙 灣湾
華华 興兴 寧宁 慶庆 遼辽 滬沪 蘇苏 衛卫 員员 會会 廳厅 財财 設设 鐵铁 電电 農农
業业 環环 資资 劃划 規规 辦办 處处 務务 勞劳 動动 醫医 療疗 稅税 質质 監监 糧粮
氣气 園园 漁渔 場场 發发 應应 統统 計计 審审 體体 軍军 樂乐 關关 圖图 書书 館馆
視视 專专 權权 營营 運运 輸输 車车 莊庄 嶺岭 豐丰 雲云 陰阴 峽峡 濟济 齊齐 魯鲁
蘭兰 遠远 達达 連连 鄭郑 漢汉 貴贵 義义 烏乌 魚鱼 鳳凤 鶴鹤 麗丽 寶宝 賓宾 順顺
潁颍 濱滨 溝沟 澤泽 滄沧 滿满 湯汤 橋桥 樓楼 臺台 萊莱 蕪芜 藍蓝 蘆芦 號号 鄰邻
傳传 僑侨 儀仪 優优 壩坝 壽寿 婦妇 孫孙 學学 將将 層层 屬属 廠厂 廟庙 徑径 復复
愛爱 戶户 據据 時时 來来 條条 歷历 歸归 決决 災灾 為为 無无 燈灯 產产 盧卢 礦矿
種种 積积 穩稳 節节 範范 紀纪 紅红 組组 經经 綜综 綠绿 網网 線线 編编 總总 織织
職职 聯联 聲声 肅肃 臨临 與与 舊旧 藝艺 藥药 衝冲 裝装 製制 複复 見见 覺觉 觀观
訊讯 評评 試试 詢询 調调 論论 證证 議议 護护 變变 貿贸 費费 贛赣 軌轨 邊边 郵邮
釋释 鋼钢 錄录 錢钱 開开 閩闽 陸陆 隊队 隨随 險险 雙双 韓韩 頁页 項项 領领 頭头
題题 顏颜 風风 飛飞 養养 驗验 鹽盐 麥麦 黨党 龐庞 懷怀 灤滦 晉晋 隴陇 陝陕 瀋沈
實实 報报 單单 數数 請请 許许 機机 構构 結结 轉转 維维 訴诉 訟讼 糾纠 額额 購购
後后 內内 檔档 補补 對对 續续 價价 觸触 衆众 眾众 幣币 憑凭 擔担 樞枢 殯殡 滅灭
獄狱 兒儿 兩两 嚴严 團团 壇坛 夾夹 奧奥 寫写 尋寻 導导 屆届 岡冈 島岛 崗岗 幫帮
廢废 彙汇 徹彻 憲宪 懲惩 戰战 攝摄 擴扩 棄弃 樹树 橫横 檢检 檯台 歡欢 殘残 氈毡
沒没 況况 淺浅 測测 溫温 漲涨 潔洁 潛潜 濤涛 濰潍 瀘泸 灘滩 爾尔 牆墙 獲获 瑪玛
畢毕 疊叠 盡尽 碼码 確确 禮礼 稱称 穀谷 窮穷 竊窃 簡简 籌筹 紹绍 給给 絡络 縮缩
繼继 罰罚 習习 聽听 脅胁 膠胶 艱艰 葉叶 蔣蒋 薦荐 虛虚 蟲虫 襲袭 訂订 訪访 註注
詳详 認认 誤误 說说 課课 諮咨 謀谋 謝谢 譯译 貨货 貧贫 賃赁 賠赔 賬账 趙赵 跡迹
踐践 軟软 較较 載载 輔辅 輕轻 辭辞 逕迳 遞递 遷迁 選选 遺遗 還还 鄧邓 鄺邝 鎖锁
鑑鉴 鑒鉴 閱阅 闆板 闊阔 隸隶 雜杂 雞鸡 難难 霧雾 靈灵 靜静 響响 頒颁 預预 頻频
顧顾 顯显 颱台 饒饶 駐驻 騰腾 驛驿 鬆松 鷹鹰 麼么 齡龄
""".split()})


def simplified(text: str) -> str:
    """`text` with traditional forms of characters put back to the simplified ones."""
    return text.translate(_TRADITIONAL)


def is_cjk(ch: str) -> bool:
    """Whether `ch` is a Chinese character (the CJK unified ideographs)."""
    return "\u4e00" <= ch <= "\u9fff"


def group_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Cluster words into lines (top to bottom), each sorted left to right."""
    ws = sorted(words, key=lambda w: (w.cy, w.x0))
    if not ws:
        return []
    height = median(max(w.bottom - w.top, 1e-6) for w in ws)
    lines: list[list[Word]] = []
    current: list[Word] = []
    line_cy = 0.0
    for w in ws:
        if current and abs(w.cy - line_cy) > 0.5 * height:
            lines.append(sorted(current, key=lambda x: x.x0))
            current = []
        current.append(w)
        line_cy = sum(x.cy for x in current) / len(current)
    lines.append(sorted(current, key=lambda x: x.x0))
    return lines


def line_text(line: list[Word]) -> str:
    if not line:
        return ""
    height = median(max(w.bottom - w.top, 1e-6) for w in line)
    out = [line[0].text]
    for prev, w in pairwise(line):
        gap = w.x0 - prev.x1
        # A wide gap inside one line is a real space (or a tab in the source).
        out.append(" " if gap > 0.9 * height else "")
        out.append(w.text)
    return "".join(out)


def join_text(words: Iterable[Word], sep: str = "") -> str:
    """Text of a block; wrapped lines are joined with `sep` (Chinese wraps mid-word)."""
    return sep.join(line_text(line) for line in group_lines(words)).strip()
