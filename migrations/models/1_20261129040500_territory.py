"""Reference data: the 12 regions and 75 prefectures and provinces (same SQL on both engines).

Generated once from api/data/territory.json; a later change of the territory is a new migration.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SQL = r"""
INSERT INTO "regions" ("code", "name", "name_ar") VALUES
    ('01', 'Tanger-Tétouan-Al Hoceïma', 'طنجة - تطوان - الحسيمة'),
    ('02', 'Oriental', 'الشرق'),
    ('03', 'Fès-Meknès', 'فاس - مكناس'),
    ('04', 'Rabat-Salé-Kénitra', 'الرباط - سلا - القنيطرة'),
    ('05', 'Béni Mellal-Khénifra', 'بني ملال - خنيفرة'),
    ('06', 'Casablanca-Settat', 'الدار البيضاء - سطات'),
    ('07', 'Marrakech-Safi', 'مراكش - آسفي'),
    ('08', 'Drâa-Tafilalet', 'درعة - تافيلالت'),
    ('09', 'Souss-Massa', 'سوس - ماسة'),
    ('10', 'Guelmim-Oued Noun', 'كلميم - واد نون'),
    ('11', 'Laâyoune-Sakia El Hamra', 'العيون - الساقية الحمراء'),
    ('12', 'Dakhla-Oued Ed-Dahab', 'الداخلة - وادي الذهب');
INSERT INTO "provinces" ("code", "name", "kind", "region_id") VALUES
    ('001', 'Tanger-Assilah', 'PREFECTURE', '01'),
    ('002', 'M''diq-Fnideq', 'PREFECTURE', '01'),
    ('003', 'Tétouan', 'PROVINCE', '01'),
    ('004', 'Fahs-Anjra', 'PROVINCE', '01'),
    ('005', 'Larache', 'PROVINCE', '01'),
    ('006', 'Al Hoceïma', 'PROVINCE', '01'),
    ('007', 'Chefchaouen', 'PROVINCE', '01'),
    ('008', 'Ouezzane', 'PROVINCE', '01'),
    ('009', 'Oujda-Angad', 'PREFECTURE', '02'),
    ('010', 'Berkane', 'PROVINCE', '02'),
    ('011', 'Driouch', 'PROVINCE', '02'),
    ('012', 'Figuig', 'PROVINCE', '02'),
    ('013', 'Guercif', 'PROVINCE', '02'),
    ('014', 'Jerada', 'PROVINCE', '02'),
    ('015', 'Nador', 'PROVINCE', '02'),
    ('016', 'Taourirt', 'PROVINCE', '02'),
    ('017', 'Fès', 'PREFECTURE', '03'),
    ('018', 'Meknès', 'PREFECTURE', '03'),
    ('019', 'Boulemane', 'PROVINCE', '03'),
    ('020', 'El Hajeb', 'PROVINCE', '03'),
    ('021', 'Ifrane', 'PROVINCE', '03'),
    ('022', 'Moulay Yacoub', 'PROVINCE', '03'),
    ('023', 'Sefrou', 'PROVINCE', '03'),
    ('024', 'Taounate', 'PROVINCE', '03'),
    ('025', 'Taza', 'PROVINCE', '03'),
    ('026', 'Rabat', 'PREFECTURE', '04'),
    ('027', 'Salé', 'PREFECTURE', '04'),
    ('028', 'Skhirate-Témara', 'PREFECTURE', '04'),
    ('029', 'Kénitra', 'PROVINCE', '04'),
    ('030', 'Khémisset', 'PROVINCE', '04'),
    ('031', 'Sidi Kacem', 'PROVINCE', '04'),
    ('032', 'Sidi Slimane', 'PROVINCE', '04'),
    ('033', 'Béni Mellal', 'PROVINCE', '05'),
    ('034', 'Azilal', 'PROVINCE', '05'),
    ('035', 'Fquih Ben Salah', 'PROVINCE', '05'),
    ('036', 'Khénifra', 'PROVINCE', '05'),
    ('037', 'Khouribga', 'PROVINCE', '05'),
    ('038', 'Casablanca', 'PREFECTURE', '06'),
    ('039', 'Mohammedia', 'PREFECTURE', '06'),
    ('040', 'El Jadida', 'PROVINCE', '06'),
    ('041', 'Nouaceur', 'PROVINCE', '06'),
    ('042', 'Médiouna', 'PROVINCE', '06'),
    ('043', 'Benslimane', 'PROVINCE', '06'),
    ('044', 'Berrechid', 'PROVINCE', '06'),
    ('045', 'Settat', 'PROVINCE', '06'),
    ('046', 'Sidi Bennour', 'PROVINCE', '06'),
    ('047', 'Marrakech', 'PREFECTURE', '07'),
    ('048', 'Chichaoua', 'PROVINCE', '07'),
    ('049', 'Al Haouz', 'PROVINCE', '07'),
    ('050', 'El Kelaâ des Sraghna', 'PROVINCE', '07'),
    ('051', 'Essaouira', 'PROVINCE', '07'),
    ('052', 'Rehamna', 'PROVINCE', '07'),
    ('053', 'Safi', 'PROVINCE', '07'),
    ('054', 'Youssoufia', 'PROVINCE', '07'),
    ('055', 'Errachidia', 'PROVINCE', '08'),
    ('056', 'Ouarzazate', 'PROVINCE', '08'),
    ('057', 'Midelt', 'PROVINCE', '08'),
    ('058', 'Tinghir', 'PROVINCE', '08'),
    ('059', 'Zagora', 'PROVINCE', '08'),
    ('060', 'Agadir Ida-Outanane', 'PREFECTURE', '09'),
    ('061', 'Inezgane-Aït Melloul', 'PREFECTURE', '09'),
    ('062', 'Chtouka-Aït Baha', 'PROVINCE', '09'),
    ('063', 'Taroudant', 'PROVINCE', '09'),
    ('064', 'Tiznit', 'PROVINCE', '09'),
    ('065', 'Tata', 'PROVINCE', '09'),
    ('066', 'Guelmim', 'PROVINCE', '10'),
    ('067', 'Assa-Zag', 'PROVINCE', '10'),
    ('068', 'Tan-Tan', 'PROVINCE', '10'),
    ('069', 'Sidi Ifni', 'PROVINCE', '10'),
    ('070', 'Laâyoune', 'PROVINCE', '11'),
    ('071', 'Boujdour', 'PROVINCE', '11'),
    ('072', 'Tarfaya', 'PROVINCE', '11'),
    ('073', 'Es-Semara', 'PROVINCE', '11'),
    ('074', 'Oued Ed-Dahab', 'PROVINCE', '12'),
    ('075', 'Aousserd', 'PROVINCE', '12');
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL


async def downgrade(db: BaseDBAsyncClient) -> str:
    return 'DELETE FROM "provinces"; DELETE FROM "regions";'


MODELS_STATE = (
    "eJztnWtP47gax79K1DfLSCyipUD36GilwjBnepbLCJjd1Y5WwU3cxiKJs44zDNrlu6+d+8"
    "UOSUmh9eQNIo4fx/nZ8eX52+7fAweb0Pb33kPDBgRQhN3Bf7S/By5wIPtHdHtXGwDPy27y"
    "AArmdhjfzCKGN8DcpwQYlN1bANuHuzyKbxDkxY8aXLlQ+wqJzy41vNCAZuHAhxa2zR98zc"
    "cGwj9CA7vYQYaWS31Pu7JNSBJTXwMEavfQo3v8sSY22HORu1zbEwIX/RVAneIlpBYk7Dlf"
    "vgzShHVk8kix6eDPP9kFck34Dfo8Jr/07vUFgrZZwB2ZheE6ffTCsBO0nLn0QxiXv9pcN7"
    "AdOG4W33ukFnZTA+RSHrqELmRvAvkTKAk4ejew7bikktKI3iOLEuUyZ2PCBQhsXoDcOspA"
    "FjbQ9curW/3m7FbXB5XCTSxypREHMd68YrCs+iGAJc/Cjz+NRgcHx6P9g6PJ4fj4+HCyP2"
    "Fxw/xWbx0/RZnJaEVJhcxm/5td3vIMYVb7oqrJA55CG0BBZBUWRkY/Ka5KEUj55yyeL4QE"
    "eV0pJAFZMWSfzeuVw2g4Ph5PDo7GKf40pI56QjgjakFg6tAMjLTpKII9tQARk61algCzbG"
    "8jYAd8023oLqnFLof7NTR/nV6ffpxe7wz33xUr8mV8ZxTeEgDHhhF4qxEvmiqIfNQE+UiO"
    "fFRFzhp99vyIUhveJbsedgPYUf10jcc2pAtGCmIejps0I2N5MzIuYyYYO34V8Y0DbFvaGa"
    "ZGKnWFB6Pjo7QX5Bd1HeDNxfT8vNoLPrC3JrqPA2K0aiHKdipW3aMmVfdIXnWPylUX2tBg"
    "OTAQfdQd7FLLFrQVbD6DWF0WY5ekUKJvRknsxUltYUnUkH9/djpjdXnnp91RiN7/y0YU5s"
    "tkXGmao9q6GvKKbQ+7HrbH6MAVYVdse9j1sOcBBYzYHFNqQ19Ovb57lKfS95dF3sD3IRUM"
    "P/5/c3UpZptZlOsyMqj2j2Yjf21MB/9dBK7BcWnzANkUuf4ef97Pg9ev3ZwQT9nxWb3O95"
    "Q7F9Pfy53o6fnVSYgM+3RJwlTCBE7KxbFknSF7g4AAW7eBa+oW6yABt2jX8NQn9OJWKHZY"
    "bcoH0XEjZKOv0KfYuNfZC4q+jlr0Auuedy3vyBMMTR1QAWtGhSIHimGXTMugY9u95J9tbO"
    "wJBOaVy7qvqBrUsL+dXZzd3E4vPhXapffT2zN+ZxSGPpZCd8oD/jQR7bfZ7UeNX2p/XF2e"
    "lZuvNN7tHwOeJxBQrLv4QQdmzqWdhCbUxOU+b+VjKJmpOFVr5M0Z1rhzhmLnWV4xKeL+/H"
    "n2Xu48y9uVeAcBMve49RZSr4EcEj6IPo58tQ/f9OmJy0qLe6G0kfKqQv6ACURL9xf4GKKe"
    "scwAV+hwiMXAj/m0thNuFpq1CgQ8pIpcpX4xCuzdYdRpXLM25np2yoatnPgcGPcPgJh6AT"
    "2/g0e4FJLGrd5yRk45BLhgGSLi78JzXikAgVRbKB25UJu+YEOZdpqpplxEpRYMpVNgawQu"
    "2WgXkj3tAjpzSCKhlEfAHnS1uzjUQt6dRvCDXxVoO05bIM2W9NcvA4/gr4jV8rh42V8W5c"
    "uAP48VdRbYSqmVN1fdN1LPy7W5eUn4JP5n/BaTkmdard0aRZbABSTQbec2LRh10xG/rTi+"
    "Zk3FwI4TuK0Q50z6kU6zkY6DbASDNpAzCwUZHzYgfCjle1imy8b3rFURzIrleHMmCvI92G"
    "9Sh1ksKePwXpEyGxnSoBXkzEJBxt0v39iSFUjDdeHtePlRMnxcyYtTMe79ONvkxwk8Xi6r"
    "FHzRsi/1TSn1hFGu2OPcC7/4dv67iqGK/dU6xrXximmXCj14dYuXy5YqyaCvspI5txyg6M"
    "5oWulLZgpW+YMmg2D5ELiyLi7vH2rTtKRGCjIeNXFIyP0R7+o91xG9DtzW12lCW0a7qc+6"
    "UM8kDmtRo9EB20+5pBSlW2orG/BN+7cuALNpntKVtzwYaC24VLine9BKI5LY+sMv19CW7X"
    "QQb3tTBH3RLZkqKC9klUkxKqFap4w3M6HjYQpd4/EaGpgI5bxqpN06WQ9l0fV7+NhQ3Lu1"
    "oLZAxKcam4kxsNE2yWhKFFV/zQlo9A+BDCU0tQdErUiqYxnWcs/V2HOrGt96HiHchcleFY"
    "ejKuzB7ONlJv0+zE2avchVv7QAG7vyEwMFR9drmbQXvozG26jyRgqSHjcBPZZzrq4h5G1O"
    "C8BxdAXRDhupUcMaNWpYVaMIZG/qU90CvtVuPl60U5D3UZMdgUfyHYFH1R2BYa/d2vORM1"
    "IQc/cthkHgiqpF0bJXLTZFtZBpVRWX19usJcxN2wSzj+KkTj7tKM0imywn9EKPxg++ltmW"
    "TmfRFgQ72p1PAaE6r7h3GsXaHXTN+GonXAT4YLE//K3eiVYWrusxTRYZlheRJklGaw2jnF"
    "Vu9XOSjZyTkNgBknwLzbvAop2CvWD3e7h9w8LY5jloQbpg9HqYBxzo9NOn89np9OT8bLCl"
    "yNlgWDeRD+bIRlQwazlhbCFwJbsxKsYl/nNmva4CSENed1XzydXVeWF4cTIrNSqXny9Ozl"
    "gxlLacVdXbrOsRD/qkS+tyVnUDvi1sYeo287EBW/nMh6T3bIEvb/NCeFu0EVLA7huiOhta"
    "++2cQSWzldrbDeNWUrWbTKFH8in0qDKF7ud2cvRqze36HY5r2yuUW76Qnz81nxYVzPolZ6"
    "0mSP0G09feYFqt8B3wVX4xSeEb36ituzF6gastKxS5my16r6YuNleDLiWPyZZaD3uBnQjs"
    "ybbaO2Qa/p2G/ChKMLeRIRbwX57c8y6z3ve1kb4vXqht5gZJfOX23na/4ctArWZdcfROZl"
    "sbxHXSAOtESnUi0CqRyTeA6wZvsN2Ae/5b6pbiBFQD332FniNCLd2AhKIFMhgUfaU9/M8k"
    "o567oXsp2Q07ZyB258rJl8wU1Cs62K+Q5xyuatTDqxaYi1YKUp40qdATeYWeVE/AAytwLh"
    "j1mBtgzmqmDlr1mhVD9VrpNVbqlrDLdj3r51n78FsrQTmKrmCj0UQ9lovHFe04Gqy1FeCK"
    "Vt+1fmlCsALAotX3rGGGJ5q3+bRTA/WazTX8wA3wdcw9droFgc2nZfgrw7MUEH92lYg0nX"
    "7BSIsFI/0xQYP+mKBenu+PCepLvVrqCaP+mKBVncJd7ThsscWh35C+ARvS01M8RPJ07oSP"
    "GoE6jtVMopbTeIFUbLBctZLU4vjKiZWdHH0kF4XbOmJ7H2wLT9U9e682cJP4CsIdNpFrhn"
    "K9ZlgRbPpDvPpDvDamQ99d4RCvt1m6FqMXjA2yQpGPDKL36scFbz8u6ET+7scFbzIuWEEo"
    "fKlG+D0gXmmiWpjrrD5NVfDoxLVOUqeQIMMSdUPxndpuCGRx3qQXEg06v5dVzC/018u7HK"
    "kcIm8V5XqICq3i6LDJz6uwWPJu/rD6Eyteq4MP4ugK0l3LYVbsiRSKjoqV/+hxzuT1f/X4"
    "bbT/zn7fuEWP331n9vQvBByNLg=="
)
